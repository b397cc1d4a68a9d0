namespace Beacon.Storage.Rollups;

/// <summary>
/// What one org's rollup recomputed (printed by <c>beacon rollup --json</c>). <see cref="StepsDeferred"/>
/// counts steps left for the next run (fair share); <see cref="Error"/> says why the org stopped early
/// (its finished steps are kept, and other orgs are not affected).
/// </summary>
public sealed record OrgRollupReport(
    string OrgId,
    int DaysRecomputed,
    int WeeksRecomputed,
    int MonthsRecomputed,
    int ExportsStaged,
    int MarksCleared,
    DateOnly FirstDay,
    DateOnly RolledThrough,
    long Epoch)
{
    public int StepsDeferred { get; init; }
    public string? Error { get; init; }
}
