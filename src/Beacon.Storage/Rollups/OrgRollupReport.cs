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

    /// <summary>Dashboard presets not staged because their range has a dirty day: the run that clears it stages them.</summary>
    public int ExportsWaiting { get; init; }
    public string? Error { get; init; }

    /// <summary>What the run changed, for figures derived from the cells; not printed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RollupChange? Change { get; init; }
}
