using Beacon.Storage.Exports;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Maintenance;

/// <summary>
/// One run of the timer (function <c>Rollup</c>): under a blob lease, so one at a time across every
/// instance, it rolls up each org and then restages the org's preset exports when they changed, and
/// enforces telemetry retention. It sits above rollups and exports, which know nothing of each other.
/// </summary>
public sealed class MaintenanceRun(DirectoryStore directory, RollupJob rollup, StagedExports staging, TelemetryStore telemetry, Tables tables, RollupOptions options, TimeProvider time)
{
    public const string LeaseBlob = "rollup";

    /// <param name="now">The time the run acts as of (defaults to the clock); <c>beacon rollup --now</c>.</param>
    /// <param name="onlyOrg">One organization (tests, support); null = all.</param>
    public async Task<RollupReport> RunAsync(DateTimeOffset? now = null, string? onlyOrg = null, CancellationToken ct = default)
    {
        var startedAt = time.GetUtcNow();
        var at = now ?? startedAt;
        await using var lease = await BlobLease.TryAcquireAsync(tables.Locks.GetBlobClient(LeaseBlob), options.LeaseDuration, ct);
        if (lease is null) return RollupReport.Skipped(at, "Another rollup run holds the lease.");
        using var work = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);

        var orgs = onlyOrg is not null
            ? [await directory.GetOrgAsync(onlyOrg, work.Token) ?? throw new ArgumentException($"No organization {onlyOrg}.", nameof(onlyOrg))]
            : await directory.ListOrgsAsync(work.Token).ToListAsync(work.Token);
        var presetEnd = DateOnly.FromDateTime((at - options.Grace).UtcDateTime);
        var reports = new List<OrgRollupReport>();
        foreach (var org in orgs)
        {
            var (report, _) = await rollup.RollupOrgAsync(org, at, startedAt, work.Token);
            int staged = options.StageExports ? await staging.StageIfChangedAsync(org.OrgId, presetEnd, work.Token) : 0;
            reports.Add(report with { ExportsStaged = staged });
        }
        // Telemetry retention (SPEC §4.7): whole old days go, by the clock, whatever --now says.
        int purged = onlyOrg is null ? await telemetry.PurgeAsync(startedAt, work.Token) : 0;
        return new RollupReport(true, null, at, reports) { TelemetryPurged = purged };
    }
}
