namespace Beacon.Tests;

/// <summary>The seeded demo and backup/restore: apart, because both read or copy a whole storage account (every org in it), and so that they run beside the others. (Each collection has its own Azurite, app and clock; see <see cref="BeaconCollection"/>.)</summary>
[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "demo";
}
