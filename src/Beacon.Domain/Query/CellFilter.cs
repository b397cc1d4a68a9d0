using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>Which cells a query counts: its workspaces and, for traces, its retention tier.</summary>
public sealed class CellFilter(IReadOnlyCollection<string> workspaceIds, TraceTier? tier)
{
    private readonly HashSet<string> _workspaces = new(workspaceIds, StringComparer.Ordinal);

    public static CellFilter For(UsageQuery q) => new(q.WorkspaceIds, q.Kind == UsageKind.Traces ? q.TierFilter : null);

    public bool Accepts(UsageCell cell) => _workspaces.Contains(cell.Key.WorkspaceId) && (tier is null || cell.Key.Tier == tier);
}
