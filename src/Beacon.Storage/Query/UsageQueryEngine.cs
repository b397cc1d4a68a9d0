using System.Runtime.CompilerServices;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Storage.Query;

/// <summary>
/// Answers a granular usage query. Each bucket is read from the largest usable rollup blocks (months,
/// then ISO weeks, then days) and raw days for the rest; the cells are filtered, added per dimension value
/// and returned in order. Buckets are processed one at a time, so memory is bounded by one bucket's
/// dimension values, not by the size of the answer. The answer equals a brute-force aggregation of the
/// raw records whether or not rollups exist.
/// </summary>
public sealed class UsageQueryEngine(UsageCellReader reader, MeterCatalog catalog)
{
    public Task<RollupCoverage> GetCoverageAsync(string orgId, DefaultWorkspace defaultWorkspace, CancellationToken ct = default) =>
        reader.GetCoverageAsync(orgId, defaultWorkspace, ct);

    /// <param name="defaultWorkspace">The org's default workspace: usage stored without a workspace is read as its.</param>
    public async IAsyncEnumerable<UsageRecord> RunAsync(string orgId, UsageQuery query, RollupCoverage coverage, DefaultWorkspace defaultWorkspace, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = CellFilter.For(query);
        var aggregator = new BucketAggregator(catalog, query.Kind, query.GroupBy);
        var stored = defaultWorkspace.StoredIdsFor(query.WorkspaceIds);
        foreach (var (start, end) in query.Buckets())
        {
            await foreach (var (_, cell) in reader.ReadAsync(orgId, query.Kind, start, end, coverage, BlockSize.Month, defaultWorkspace, stored, ct))
                if (filter.Accepts(cell)) aggregator.Add(cell);
            foreach (var record in aggregator.Drain(Timestamps.StartOfDay(start), Timestamps.StartOfDay(end)))
                yield return record;
        }
    }
}
