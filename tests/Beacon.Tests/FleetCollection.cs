namespace Beacon.Tests;

/// <summary>
/// The tests that wait for the fleet index's silence sweep: in their own app, the sweep has only their
/// deployments to move when they shift the clock past 660 s, not every other test's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "fleet";
}
