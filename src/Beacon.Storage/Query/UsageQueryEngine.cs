using System.Runtime.CompilerServices;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Query;

/// <summary>
/// Answers a granular usage query. Each bucket is decomposed into the largest usable rollup blocks
/// (months, then ISO weeks, then days) and raw days for the rest; the cells are filtered, added per
/// dimension value and returned in order. Buckets are processed one at a time, so memory is bounded by
/// one bucket's dimension values, not by the size of the answer. The answer equals a brute-force
/// aggregation of the raw records whether or not rollups exist.
/// </summary>
public sealed class UsageQueryEngine(RawUsage raw, RollupStore rollups, DirtyDayStore dirty)
{
    /// <summary>What the engine reads to decide between rollups and raw records (two small reads).</summary>
    public async Task<RollupCoverage> GetCoverageAsync(string orgId, CancellationToken ct = default)
    {
        var progress = await rollups.GetProgressAsync(orgId, ct);
        return progress is null ? RollupCoverage.None : new RollupCoverage(progress, [.. (await dirty.ListAsync(orgId, ct)).Select(m => m.Mark)]);
    }

    /// <param name="defaultWorkspace">The org's default workspace: usage stored without a workspace is read as its.</param>
    public async IAsyncEnumerable<UsageRecord> RunAsync(string orgId, UsageQuery query, RollupCoverage coverage, DefaultWorkspace defaultWorkspace, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = CellFilter.For(query);
        var aggregator = new BucketAggregator(query.GroupBy);
        var stored = defaultWorkspace.StoredIdsFor(query.WorkspaceIds);
        foreach (var (start, end) in query.Buckets())
        {
            var plan = BlockPlanner.Plan(start, end, coverage.IsUsable);
            await foreach (var cell in ReadAsync(orgId, query.Kind, stored, plan, ct))
            {
                var resolved = defaultWorkspace.Resolve(cell);
                if (filter.Accepts(resolved)) aggregator.Add(resolved);
            }
            foreach (var record in aggregator.Drain(Timestamps.StartOfDay(start), Timestamps.StartOfDay(end)))
                yield return record;
        }
    }

    private async IAsyncEnumerable<UsageCell> ReadAsync(string orgId, UsageKind kind, IReadOnlyList<string> workspaceIds, IReadOnlyList<PlannedBlock> plan, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var run in Runs(plan))
        {
            if (run.FromRollup)
            {
                await foreach (var (_, cell) in rollups.ReadCellsAsync(orgId, kind, run.Size, run.Start, run.End, workspaceIds, ct))
                    yield return cell;
            }
            else
            {
                await foreach (var (_, cell) in raw.ReadDayCellsAsync(orgId, kind, run.Start, run.End, workspaceIds, ct)) yield return cell;
            }
        }
    }

    /// <summary>Consecutive planned blocks of the same size and source, merged into one range read.</summary>
    private static IEnumerable<(bool FromRollup, BlockSize Size, DateOnly Start, DateOnly End)> Runs(IReadOnlyList<PlannedBlock> plan)
    {
        (bool FromRollup, BlockSize Size, DateOnly Start, DateOnly End)? current = null;
        foreach (var p in plan)
        {
            if (current is { } c && c.FromRollup == p.FromRollup && c.Size == p.Block.Size && c.End == p.Block.Start)
            {
                current = c with { End = p.Block.End };
                continue;
            }
            if (current is { } done) yield return done;
            current = (p.FromRollup, p.Block.Size, p.Block.Start, p.Block.End);
        }
        if (current is { } last) yield return last;
    }
}
