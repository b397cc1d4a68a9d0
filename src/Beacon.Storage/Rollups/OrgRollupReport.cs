namespace Beacon.Storage.Rollups;

/// <summary>What one org's rollup recomputed (printed by <c>beacon rollup --json</c>).</summary>
public sealed record OrgRollupReport(
    string OrgId,
    int DaysRecomputed,
    int WeeksRecomputed,
    int MonthsRecomputed,
    int ExportsStaged,
    int MarksCleared,
    DateOnly FirstDay,
    DateOnly RolledThrough,
    long Epoch);
