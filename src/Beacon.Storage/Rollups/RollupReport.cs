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

/// <summary>The outcome of a run: skipped when another instance holds the lease.</summary>
public sealed record RollupReport(bool Ran, string? SkippedReason, DateTimeOffset Now, IReadOnlyList<OrgRollupReport> Orgs)
{
    public static RollupReport Skipped(DateTimeOffset now, string reason) => new(false, reason, now, []);
}
