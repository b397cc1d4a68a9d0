namespace Beacon.Domain.Rollups;

/// <summary>
/// One unit of rollup work: recompute days [<see cref="From"/>, <see cref="To"/>) from raw records, then
/// the weeks and months around them that lie inside <see cref="CoverageAfter"/>, then save
/// <see cref="CoverageAfter"/> as progress. <see cref="Clears"/> are the dirty marks that may be removed
/// once this step and every earlier one have been saved.
/// </summary>
public sealed record RollupStep(RollupStepKind Kind, DateOnly From, DateOnly To, Coverage CoverageAfter, IReadOnlyList<DirtyMark> Clears)
{
    public int Days => To.DayNumber - From.DayNumber;
}
