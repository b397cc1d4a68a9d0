namespace Beacon.Tests;

/// <summary>
/// The function app: its tests start the isolated worker's build output under the Functions host double. Apart,
/// because they move the clock (serve's signing-key refresh), so their app has its own clock, like
/// <see cref="CalendarCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "worker";
}
