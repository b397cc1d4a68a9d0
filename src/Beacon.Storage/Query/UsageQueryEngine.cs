using System.Runtime.CompilerServices;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Storage.Query;

/// <summary>
/// Answers a granular usage query. Each bucket is read from the largest usable rollup blocks (months,
/// then ISO weeks, then days) and raw days for the rest; the cells are filtered, added per dimension value
/// and returned in order. Reads continue across buckets (<see cref="SourcePlan.ForBuckets"/>): a daily chart
/// of a month costs one read per source, not one per day. A bucket is handed over as soon as the reads have
/// passed its end, so memory holds the dimension values of the buckets that one read spans, never the whole
/// answer. The answer equals a brute-force aggregation of the raw records whether or not rollups exist.
/// </summary>
public sealed class UsageQueryEngine(UsageCellReader reader, MeterCatalog catalog)
{
    public Task<RollupCoverage> GetCoverageAsync(string orgId, DefaultWorkspace defaultWorkspace, CancellationToken ct = default) =>
        reader.GetCoverageAsync(orgId, defaultWorkspace, ct);

    /// <param name="defaultWorkspace">The org's default workspace: usage stored without a workspace is read as its.</param>
    public async IAsyncEnumerable<UsageRecord> RunAsync(string orgId, UsageQuery query, RollupCoverage coverage, DefaultWorkspace defaultWorkspace, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var (_, record) in ReadAsync(orgId, [query], coverage, defaultWorkspace, ct))
            yield return record;
    }

    /// <summary>
    /// Answers several queries of one kind over the same range and workspaces with one read of their cells:
    /// the cells are read once, and every query filters and adds them its own way (its grouping, its tier), so
    /// each answer equals <see cref="RunAsync"/>'s for that query. Records are handed over bucket by bucket,
    /// query by query. Staging uses it: the presets of one range differ only in grouping and tier, and reading
    /// the range once per preset read it fifteen times.
    /// </summary>
    public async Task RunTogetherAsync(string orgId, IReadOnlyList<UsageQuery> queries, RollupCoverage coverage, DefaultWorkspace defaultWorkspace,
        Func<int, UsageRecord, ValueTask> emit, CancellationToken ct = default)
    {
        var first = queries[0];
        if (queries.Any(q => q.Kind != first.Kind || q.StartDay != first.StartDay || q.EndDay != first.EndDay || !q.WorkspaceIds.SequenceEqual(first.WorkspaceIds)))
            throw new ArgumentException("Queries answered together must share their kind, range and workspaces.", nameof(queries));
        await foreach (var (i, record) in ReadAsync(orgId, queries, coverage, defaultWorkspace, ct))
            await emit(i, record);
    }

    /// <summary>The records of queries that share their kind, range (so their buckets) and workspaces, bucket by bucket.</summary>
    private async IAsyncEnumerable<(int Query, UsageRecord Record)> ReadAsync(string orgId, IReadOnlyList<UsageQuery> queries, RollupCoverage coverage,
        DefaultWorkspace defaultWorkspace, [EnumeratorCancellation] CancellationToken ct)
    {
        var first = queries[0];
        var filters = queries.Select(CellFilter.For).ToArray();
        var stored = defaultWorkspace.StoredIdsFor(first.WorkspaceIds);
        var buckets = first.Buckets();
        var starts = buckets.Select(b => b.Start).ToArray();
        // Per bucket, per query; made when a cell first lands in the bucket, dropped once it is handed over.
        var open = new BucketAggregator[]?[buckets.Count];
        var handedOver = 0;
        foreach (var run in SourcePlan.ForBuckets(buckets, coverage.IsUsable, BlockSize.Month))
        {
            await foreach (var (period, cell) in reader.ReadRunAsync(orgId, first.Kind, run, defaultWorkspace, stored, ct))
            {
                // No block straddles two buckets (each is planned in its own), so a cell's period is in its bucket.
                var b = Array.BinarySearch(starts, period);
                if (b < 0) b = ~b - 1;
                var aggregators = open[b] ??= [.. queries.Select(q => new BucketAggregator(catalog, q.Kind, q.GroupBy))];
                for (int i = 0; i < queries.Count; i++)
                    if (filters[i].Accepts(cell)) aggregators[i].Add(cell);
            }
            for (; handedOver < buckets.Count && buckets[handedOver].End <= run.End; handedOver++)
            {
                if (open[handedOver] is not { } aggregators) continue;
                open[handedOver] = null;
                var (start, end) = buckets[handedOver];
                for (int i = 0; i < queries.Count; i++)
                    foreach (var record in aggregators[i].Drain(Timestamps.StartOfDay(start), Timestamps.StartOfDay(end)))
                        yield return (i, record);
            }
        }
    }
}
