using Beacon.Domain.Rollups;

namespace Beacon.Storage.Rollups;

/// <summary>
/// Told about an org's dirty marks before the rollup job may clear them: every write for a day that is
/// over is announced by a mark first, so whoever must react to late usage (the statements ledger, for
/// closed months) sees all of it here, and a failure keeps the marks for the next run.
/// </summary>
public interface ILateUsageReconciler
{
    Task ReconcileAsync(string orgId, IReadOnlyList<DirtyMark> marks, CancellationToken ct);
}
