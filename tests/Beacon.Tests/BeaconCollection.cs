namespace Beacon.Tests;

/// <summary>Every app test shares one Azurite and one app (tests use their own orgs, so they never see each other's data).</summary>
[CollectionDefinition(Name)]
public sealed class BeaconCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "beacon";
}
