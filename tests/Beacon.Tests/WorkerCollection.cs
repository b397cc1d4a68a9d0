namespace Beacon.Tests;

/// <summary>
/// The function app as deployed: its tests first publish the isolated worker (a Release build with
/// ReadyToRun, about a minute and a half of CPU). Apart, and started first (<see cref="LongestFirstCollectionOrderer"/>),
/// so the publish runs while the machine is busy anyway instead of at the end of the run. They move the
/// clock (serve's signing-key refresh), so their app has its own clock, like <see cref="CalendarCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "worker";
}
