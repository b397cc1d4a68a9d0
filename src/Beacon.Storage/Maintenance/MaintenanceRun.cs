using Beacon.Storage.Exports;
using Beacon.Storage.Reports;
using Beacon.Storage.Rollups;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Maintenance;

/// <summary>
/// One run of the timer (function <c>Rollup</c>): under a blob lease, so one at a time across every
/// instance, it rolls up each org and then restages the org's preset exports when they changed, and
/// enforces telemetry retention. First it applies any self-reported usage file that was accepted but not
/// yet put in effect (a crash in between, SPEC §17). It sits above rollups, exports and reports, which
/// know nothing of each other.
/// Orgs are isolated: whatever fails for one is reported for that org and the run goes on to the next.
/// </summary>
public sealed class MaintenanceRun(
    DirectoryStore directory, RollupJob rollup, OpenLineMaintainer openLines, ReportApplier reportsApplier, StagedExports staging, TelemetryStore telemetry, Tables tables,
    RollupOptions options, TimeProvider time)
{
    public const string LeaseBlob = "rollup";

    /// <param name="now">The time the run acts as of (defaults to the clock); <c>beacon rollup --now</c>.</param>
    /// <param name="onlyOrg">One organization (tests, support); null = all.</param>
    public Task<RollupReport> RunAsync(DateTimeOffset? now = null, string? onlyOrg = null, CancellationToken ct = default) =>
        RunAsync(now, onlyOrg is null ? null : [onlyOrg], ct);

    /// <param name="now">The time the run acts as of (defaults to the clock).</param>
    /// <param name="onlyOrgs">These organizations, in this order (tests, support); null = all.</param>
    public async Task<RollupReport> RunAsync(DateTimeOffset? now, IReadOnlyList<string>? onlyOrgs, CancellationToken ct = default)
    {
        var startedAt = time.GetUtcNow();
        var at = now ?? startedAt;
        // A run "as of" a future time would move progress past the real today, and writes to today would
        // then never be marked dirty: refused. An earlier time is safe (it recomputes less).
        if (at > startedAt)
            throw new ArgumentOutOfRangeException(nameof(now), at, $"--now may not be later than the clock ({startedAt:O}).");
        await using var lease = await BlobLease.TryAcquireAsync(tables.Locks.GetBlobClient(LeaseBlob), options.LeaseDuration, time, ct);
        if (lease is null) return RollupReport.Skipped(at, "Another rollup run holds the lease.");
        using var work = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);

        var orgs = new List<Organization>();
        if (onlyOrgs is null) orgs.AddRange(await directory.ListOrgsAsync(work.Token).ToListAsync(work.Token));
        else foreach (var id in onlyOrgs)
            orgs.Add(await directory.GetOrgAsync(id, work.Token) ?? throw new ArgumentException($"No organization {id}.", nameof(onlyOrgs)));
        await reportsApplier.ApplyAllPendingAsync(work.Token);
        var presetEnd = DateOnly.FromDateTime((at - options.Grace).UtcDateTime);
        var reports = new List<OrgRollupReport>();
        foreach (var org in orgs)
        {
            OrgRollupReport? report = null;
            try
            {
                (report, var progress) = await rollup.RollupOrgAsync(org, at, startedAt, work.Token);
                if (report.Error is null) await openLines.RefreshAsync(org, progress, report.Change, work.Token);
                var (staged, waiting) = options.StageExports && report.Error is null ? await staging.StageIfChangedAsync(org.OrgId, presetEnd, work.Token) : (0, 0);
                reports.Add(report with { ExportsStaged = staged, ExportsWaiting = waiting });
            }
            catch (Exception e) when (!work.Token.IsCancellationRequested)
            {
                // One org's failure (a bug, bad data, a lost progress race) never stops the others.
                var error = e is Azure.RequestFailedException r ? $"{e.GetType().Name} {r.Status} {r.ErrorCode}" : e.GetType().Name;
                reports.Add((report ?? new OrgRollupReport(org.OrgId, 0, 0, 0, 0, 0, default, default, 0)) with { Error = error });
            }
        }
        await openLines.SummarizeAsync(work.Token); // false when storage stayed down: the months stay stale for the next run
        // Telemetry retention (SPEC §4.7): whole old days go, by the clock, whatever --now says.
        int purged = onlyOrgs is null ? await telemetry.PurgeAsync(startedAt, work.Token) : 0;
        return new RollupReport(true, null, at, reports) { TelemetryPurged = purged };
    }
}
