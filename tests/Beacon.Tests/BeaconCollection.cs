namespace Beacon.Tests;

/// <summary>
/// Most app tests share one Azurite and one app (tests use their own orgs, so they never see each other's data).
/// The tests that move the clock far, or wait for the fleet's silence sweep, have collections of their own
/// (<see cref="FleetCollection"/>, <see cref="CalendarCollection"/>, <see cref="PropertyCollection"/>, <see cref="RollupPropertyCollection"/>,
/// <see cref="ReportsCollection"/>, <see cref="AlertsCollection"/>), and the longest groups of the rest run apart so that no
/// collection is much longer than the others (<see cref="DashboardCollection"/>, <see cref="LedgerCollection"/>,
/// <see cref="DemoCollection"/>, <see cref="EdgeCollection"/>, <see cref="WorkerCollection"/>): each collection has its own Azurite, app and clock, so a clock moved by days in
/// one never makes another's deployments silent, and the collections run side by side (four at a time, longest first: <see cref="LongestFirstCollectionOrderer"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class BeaconCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "beacon";
}
