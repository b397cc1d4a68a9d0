using Beacon.Domain.Query;

namespace Beacon.Storage.Stores;

/// <summary>
/// Raw records of either kind as one-day cells: what queries read for days without usable rollups,
/// and what the rollup reads to compute them.
/// </summary>
public sealed class RawUsage(WindowStore windows, TraceStore traces)
{
    public IAsyncEnumerable<(DateOnly Day, UsageCell Cell)> ReadDayCellsAsync(
        string orgId, UsageKind kind, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds, CancellationToken ct = default) =>
        kind == UsageKind.Traces
            ? traces.ReadDayCellsAsync(orgId, from, to, workspaceIds, ct)
            : windows.ReadDayCellsAsync(orgId, from, to, workspaceIds, ct);
}
