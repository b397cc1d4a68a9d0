namespace Beacon.Storage.Rollups;

/// <summary>The outcome of a run: skipped when another instance holds the lease.</summary>
public sealed record RollupReport(bool Ran, string? SkippedReason, DateTimeOffset Now, IReadOnlyList<OrgRollupReport> Orgs)
{
    public static RollupReport Skipped(DateTimeOffset now, string reason) => new(false, reason, now, []);
}
