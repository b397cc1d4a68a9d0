using System.Runtime.CompilerServices;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Usage;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Query;

/// <summary>
/// Reads an org's usage cells over a range of days, each part from rollup cells where they are usable and
/// from raw records elsewhere — the one place that makes that choice (<see cref="SourcePlan"/>), for the
/// granular API and for statements alike. Cells come with the start of the period they cover.
/// </summary>
public sealed class UsageCellReader(RawUsage raw, RollupStore rollups, DirtyDayStore dirty)
{
    /// <summary>What decides between rollups and raw records (two small reads).</summary>
    public async Task<RollupCoverage> GetCoverageAsync(string orgId, DefaultWorkspace defaultWorkspace, CancellationToken ct = default)
    {
        var progress = await rollups.GetProgressAsync(orgId, ct);
        return progress is null ? RollupCoverage.None
            : new RollupCoverage(progress, [.. (await dirty.ListAsync(orgId, ct)).Select(m => m.Mark)], defaultWorkspace.WorkspaceId);
    }

    /// <param name="largest">The largest block to read (days for statements, which round uptime per day).</param>
    /// <param name="workspaceIds">Stored workspace ids to read, null for all.</param>
    public async IAsyncEnumerable<(DateOnly Period, UsageCell Cell)> ReadAsync(
        string orgId, UsageKind kind, DateOnly from, DateOnly to, RollupCoverage coverage, BlockSize largest, DefaultWorkspace defaultWorkspace,
        IReadOnlyCollection<string>? workspaceIds, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var run in SourcePlan.For(from, to, coverage.IsUsable, largest))
            await foreach (var c in ReadRunAsync(orgId, kind, run, defaultWorkspace, workspaceIds, ct))
                yield return c;
    }

    /// <summary>
    /// One run of a <see cref="SourcePlan"/>: rollup cells in order of their period, or raw day cells (windows' days in
    /// order, then the self-reported rows' days in order).
    /// </summary>
    public IAsyncEnumerable<(DateOnly Period, UsageCell Cell)> ReadRunAsync(
        string orgId, UsageKind kind, SourceRun run, DefaultWorkspace defaultWorkspace, IReadOnlyCollection<string>? workspaceIds, CancellationToken ct = default) =>
        run.FromRollup
            ? rollups.ReadCellsAsync(orgId, kind, run.Size, run.Start, run.End, workspaceIds, ct)
            : raw.ReadDayCellsAsync(orgId, kind, run.Start, run.End, defaultWorkspace, workspaceIds, ct);
}
