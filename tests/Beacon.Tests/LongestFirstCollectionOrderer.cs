using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Beacon.Tests.LongestFirstCollectionOrderer", "Beacon.Tests")]

namespace Beacon.Tests;

/// <summary>
/// Starts the longest collections first. The collections run four at a time (xunit.runner.json), and a
/// long one started last runs alone at the end: with xunit's default order (by a hash of the name) the
/// main collection, about a third of the suite, started after the demo's and ran on its own for two and
/// a half minutes. Longest-first keeps every slot busy until the end. The ranking is by each collection's
/// time in a full run; the worker's, much of which is waiting for worker processes and timer invocations rather
/// than CPU, goes before collections of about its length, so that CPU-bound ones fill the end. A collection not
/// listed (a test class without one) runs after the ranked ones.
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    private static readonly string[] Ranking =
    [
        LedgerCollection.Name, EdgeCollection.Name, DashboardCollection.Name,
        RollupPropertyCollection.Name, BeaconCollection.Name, WorkerCollection.Name, PropertyCollection.Name, DemoCollection.Name,
        FleetCollection.Name, CalendarCollection.Name, ReportsCollection.Name, AlertsCollection.Name,
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => Array.IndexOf(Ranking, c.DisplayName) is var i and >= 0 ? i : Ranking.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
