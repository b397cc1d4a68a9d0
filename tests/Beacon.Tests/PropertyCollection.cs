namespace Beacon.Tests;

/// <summary>
/// The two longest property tests (hundreds of random datasets against the brute-force model): in their own
/// Azurite and app, so they run beside the other collections instead of after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PropertyCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "properties";
}
