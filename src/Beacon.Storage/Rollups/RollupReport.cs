namespace Beacon.Storage.Rollups;

/// <summary>The outcome of a run: skipped when another instance holds the lease.</summary>
public sealed record RollupReport(bool Ran, string? SkippedReason, DateTimeOffset Now, IReadOnlyList<OrgRollupReport> Orgs)
{
    /// <summary>Telemetry entities deleted by retention in this run.</summary>
    public int TelemetryPurged { get; init; }

    public static RollupReport Skipped(DateTimeOffset now, string reason) => new(false, reason, now, []);
}
