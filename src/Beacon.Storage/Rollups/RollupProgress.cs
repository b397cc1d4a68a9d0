using Azure;
using Beacon.Domain.Rollups;

namespace Beacon.Storage.Rollups;

/// <summary>
/// An org's rollup state: the days covered (<see cref="FirstDay"/>..<see cref="RolledThrough"/>),
/// an <see cref="Epoch"/> that changes whenever any cell changes, and the epoch and preset end of the
/// staged exports (<see cref="StagedEpoch"/>, <see cref="StagedEnd"/>).
/// </summary>
public sealed record RollupProgress(DateOnly FirstDay, DateOnly RolledThrough, long Epoch, DateOnly? StagedEnd, long StagedEpoch, ETag ETag)
{
    /// <summary>True when the cells were written in another layout (<see cref="RollupStore.CellsVersion"/>): they must not be read.</summary>
    public bool Outdated { get; init; }

    /// <summary>
    /// The org's default workspace when the cells were computed: usage stored without a workspace was
    /// counted as its, distinct minutes included. Cells computed for another default must not be read.
    /// </summary>
    public string DefaultWorkspace { get; init; } = "";

    public Coverage Coverage => new(FirstDay, RolledThrough);

    public bool Covers(Domain.Query.Block b) => Coverage.Covers(b);

    public RollupProgress With(Coverage coverage) => this with { FirstDay = coverage.FirstDay, RolledThrough = coverage.RolledThrough };
}
