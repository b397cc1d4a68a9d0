using Beacon.Domain.Query;
using Beacon.Domain.Rollups;
using Beacon.Storage.Rollups;

namespace Beacon.Storage.Query;

/// <summary>
/// Which precomputed blocks a query may use: covered by the org's rollup progress, computed in the current
/// cell layout for the org's current default workspace, and not touching a dirty day (data that arrived
/// after the block was computed). Everything else is read raw.
/// </summary>
public sealed class RollupCoverage(RollupProgress? progress, IReadOnlyList<DirtyMark> dirty, string defaultWorkspace)
{
    public static RollupCoverage None { get; } = new(null, [], "");

    public RollupProgress? Progress => progress;

    public IReadOnlyList<DirtyMark> Dirty => dirty;

    /// <summary>Whether the cells may be read at all (their layout and default workspace are current).</summary>
    public bool Current => progress is { Outdated: false } p && p.DefaultWorkspace == defaultWorkspace;

    public bool IsUsable(Block block) =>
        Current && progress!.Covers(block) && !dirty.Any(d => d.Intersects(block.Start, block.End));

    public bool AnyDirty(DateOnly from, DateOnly to) => dirty.Any(d => d.Intersects(from, to));
}
