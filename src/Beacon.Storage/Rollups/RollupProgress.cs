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
    /// <summary>
    /// The layout of the cells, saved with progress. Version 2 added the license to every cell
    /// (statements bill per license); progress saved with an older layout covers nothing, so queries
    /// read raw records and the next run recomputes every day in the new layout.
    /// </summary>
    public const int CurrentCellsVersion = 2;

    /// <summary>True when the cells were written in an older layout: they must not be read.</summary>
    public bool Outdated { get; init; }

    public Coverage Coverage => new(FirstDay, RolledThrough);

    public bool Covers(Domain.Query.Block b) => Coverage.Covers(b);

    public RollupProgress With(Coverage coverage) => this with { FirstDay = coverage.FirstDay, RolledThrough = coverage.RolledThrough };
}
