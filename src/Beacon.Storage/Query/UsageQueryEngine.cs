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

    /// <summary>
    /// Answers several queries of one kind over the same range and workspaces with one read of their cells:
    /// each bucket's cells are read once, and every query filters and adds them its own way (its grouping, its
    /// tier), so each answer equals <see cref="RunAsync"/>'s for that query. Records are handed over bucket by
    /// bucket, query by query, so memory stays one bucket's worth per query. Staging uses it: the presets of one
    /// range differ only in grouping and tier, and reading the range once per preset read it fifteen times.
    /// </summary>
    public async Task RunTogetherAsync(string orgId, IReadOnlyList<UsageQuery> queries, RollupCoverage coverage, DefaultWorkspace defaultWorkspace,
        Func<int, UsageRecord, ValueTask> emit, CancellationToken ct = default)
    {
        var first = queries[0];
        if (queries.Any(q => q.Kind != first.Kind || q.StartDay != first.StartDay || q.EndDay != first.EndDay || !q.WorkspaceIds.SequenceEqual(first.WorkspaceIds)))
            throw new ArgumentException("Queries answered together must share their kind, range and workspaces.", nameof(queries));
        var filters = queries.Select(CellFilter.For).ToArray();
        var aggregators = queries.Select(q => new BucketAggregator(catalog, q.Kind, q.GroupBy)).ToArray();
        var stored = defaultWorkspace.StoredIdsFor(first.WorkspaceIds);
        foreach (var (start, end) in first.Buckets())
        {
            await foreach (var (_, cell) in reader.ReadAsync(orgId, first.Kind, start, end, coverage, BlockSize.Month, defaultWorkspace, stored, ct))
                for (int i = 0; i < queries.Count; i++)
                    if (filters[i].Accepts(cell)) aggregators[i].Add(cell);
            for (int i = 0; i < queries.Count; i++)
                foreach (var record in aggregators[i].Drain(Timestamps.StartOfDay(start), Timestamps.StartOfDay(end)))
                    await emit(i, record);
        }
    }
}
