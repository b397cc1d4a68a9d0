using Beacon.Domain.Meters;
using Beacon.Domain.Reports;
using Beacon.Domain.Rollups;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Reports;

/// <summary>
/// Puts an accepted report in effect (SPEC §17): marks its past days dirty first (so no rollup of those days
/// is used until it is recomputed, ADR 0006), records the workspaces and projects it names with the file's
/// names, replaces each of its days, reconciles any closed month it touches into late-usage adjustments,
/// then clears the head's pending flag. Every step can be repeated; a report found pending (a crash after
/// it was accepted) is applied again from its kept file by the next upload for its license or the next
/// rollup run.
/// </summary>
public sealed class ReportApplier(
    UsageReportStore reports, ReportedUsageStore reported, DirtyDayStore dirty, DirectoryStore directory, StatementLedger ledger,
    MeterCatalog catalog, TimeProvider time)
{
    public async Task ApplyAsync(StoredReport report, ReportedUsage usage, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await dirty.MarkPastAsync(report.OrgId, usage.Days, now, ct);
        await NameAsync(report.OrgId, usage, ct);
        await Parallel.ForEachAsync(usage.Rows.GroupBy(r => r.Day), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (day, token) => await reported.ApplyDayAsync(report.OrgId, usage.Kind, report.LicenseId, day.Key, report.Seq, report.ReportId, day, token));
        await ledger.ReconcileAsync(report.OrgId, [new DirtyMark(usage.Days[0], usage.Days[^1], now)], ct);
        await reports.MarkAppliedAsync(report.LicenseId, report.Seq, ct);
    }

    /// <summary>Applies the license's latest report if it was accepted and not applied (a crash in between).</summary>
    public async Task ApplyPendingAsync(string licenseId, ReportHead head, CancellationToken ct = default)
    {
        if (!head.Pending || await reports.GetReportAsync(licenseId, head.Seq, ct) is not { } report) return;
        var file = await reports.ReadFileAsync(licenseId, report.ReportId, ct);
        // It was valid when accepted; only "not in the future" depends on the day, and that can only relax.
        var usage = ReportFile.Parse(catalog, file.ToMemory().Span, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)).Value
            ?? throw new InvalidOperationException($"The kept file of report {report.ReportId} no longer validates.");
        await ApplyAsync(report, usage, ct);
    }

    /// <summary>Every license's pending report (the rollup run calls this: a report is never left accepted and not counted).</summary>
    public async Task<int> ApplyAllPendingAsync(CancellationToken ct = default)
    {
        int applied = 0;
        await foreach (var (license, head) in reports.ListPendingAsync(ct))
        {
            await ApplyPendingAsync(license, head, ct);
            applied++;
        }
        return applied;
    }

    private async Task NameAsync(string orgId, ReportedUsage usage, CancellationToken ct)
    {
        var workspaces = usage.Rows.Where(r => r.WorkspaceId.Length > 0).DistinctBy(r => r.WorkspaceId).ToList();
        var projects = usage.Rows.Where(r => r.ProjectId.Length > 0).DistinctBy(r => r.ProjectId).ToList();
        await directory.RecordSeenAsync(orgId, [.. workspaces.Select(w => w.WorkspaceId)], [.. projects.Select(p => (p.WorkspaceId, p.ProjectId))], ct);
        foreach (var w in workspaces.Where(w => w.WorkspaceName.Length > 0)) await directory.CreateWorkspaceAsync(orgId, w.WorkspaceId, w.WorkspaceName, ct);
        foreach (var p in projects.Where(p => p.ProjectName.Length > 0)) await directory.NameProjectAsync(orgId, p.ProjectId, p.ProjectName, ct);
    }
}
