using System.Collections.Concurrent;
using Beacon.Tokens;
using Beacon.Domain.Credentials;
using Beacon.Domain.Fleet;
using Beacon.Domain.Statements;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Api.Operator;

/// <summary>
/// Builds the operator's paged views (SPEC §15): a page of the fleet index, then one point read per entry
/// (and, for licenses, per org on the page), so a page costs the same whatever the fleet's size
/// (docs/decisions/0015-fleet-paging.md). The state shown is the live one (from the last report); the index
/// may list an entry under its previous state for up to two minutes, and a state-filtered page leaves such
/// an entry out.
/// </summary>
internal sealed class FleetQueries(DirectoryStore directory, CredentialStore credentials, DeploymentStore deployments, FleetIndexStore index,
    VerificationStore verifications, WindowStore windows, QuotaMeter quotas, TimeProvider time)
{
    private const int Parallelism = 16;

    public async Task<LicenseList> LicensesAsync(string? orgId, string? state, PageCursor? cursor, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var scope = orgId is null ? FleetIndexStore.AllScope : FleetIndexStore.OrgScope(orgId);
        var page = await index.PageAsync(FleetIndexStore.Licenses, scope, state, cursor, limit, ct);
        var orgs = await OrgsAsync(page.Entries.Select(e => e.OrgId), ct);
        var usageByOrg = new ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<LineId, MeterTotals>>>>(StringComparer.Ordinal);
        var views = new LicenseView?[page.Entries.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, views.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            var entry = page.Entries[i];
            // (An entry without its license is one written just before a crash: left out.)
            if (await credentials.GetLicenseAsync(entry.OrgId, entry.Row, token) is { } l)
                views[i] = await ViewAsync(l, orgs.GetValueOrDefault(l.OrgId)?.Name ?? "", org => usageByOrg.GetOrAdd(org, o => new(() => quotas.ReadOrgAsync(o, token))).Value, now, token);
        });
        var shown = views.OfType<LicenseView>().Where(v => state is null || v.ReportingState == state)
            .OrderBy(v => ReportingState.Rank(v.ReportingState)).ToList(); // stable, as for deployments
        return new LicenseList(shown, page.Next?.Encode(), StateCounts.Of(await index.CountsAsync(FleetIndexStore.Licenses, scope, ct)));
    }

    /// <summary>One license's view (what the console's license detail shows).</summary>
    public async Task<LicenseView> LicenseAsync(LicenseRecord license, CancellationToken ct) =>
        await ViewAsync(license, (await directory.GetOrgAsync(license.OrgId, ct))?.Name ?? "", org => quotas.ReadOrgAsync(org, ct), time.GetUtcNow(), ct);

    private async Task<LicenseView> ViewAsync(LicenseRecord l, string orgName, Func<string, Task<IReadOnlyDictionary<LineId, MeterTotals>>> orgUsage, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var quotaViews = l.Quotas.Count > 0 ? quotas.Evaluate(l, await orgUsage(l.OrgId)).Select(QuotaView.Of).ToList() : [];
        var counts = await verifications.CountAsync(l.LicenseId, today.AddDays(-29), today, ct);
        var ignored = await windows.CountLowerCountSupersedesAsync(Reporter.ForLicense(l.LicenseId), today.AddDays(-29), today, ct);
        var last = await index.LicenseLastReportAsync(l.LicenseId, ct);
        return new LicenseView(l.LicenseId, l.OrgId, orgName, l.Plan, l.Status.ToString().ToLowerInvariant(),
            l.ExpiresAt, l.Entitlements, quotaViews, counts.LastVerifiedAt, counts.Accepted, counts.Refused, last,
            ReportingState.Of(last, now), ignored, l.CreatedAt);
    }

    public async Task<DeploymentList> DeploymentsAsync(string? orgId, string? licenseId, string? state, PageCursor? cursor, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var scope = licenseId is not null ? FleetIndexStore.LicenseScope(licenseId) : orgId is not null ? FleetIndexStore.OrgScope(orgId) : FleetIndexStore.AllScope;
        var page = await index.PageAsync(FleetIndexStore.Deployments, scope, state, cursor, limit, ct);
        var entries = page.Entries.Where(e => orgId is null || e.OrgId == orgId).ToList();
        var stored = new StoredDeployment?[entries.Count];
        var names = new string[entries.Count];
        // The page's own projects, one point read each: an org may have thousands of projects.
        await Parallel.ForEachAsync(Enumerable.Range(0, stored.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token) =>
        {
            stored[i] = await deployments.GetAsync(entries[i].OrgId, entries[i].Row, token);
            names[i] = stored[i] is { } d ? await directory.GetProjectNameAsync(d.OrgId, d.Key.ProjectId, token) : "";
        });
        // Each record carries its org's name and default workspace; only records older than that (or merged
        // while their org had no default yet, before the upgrade step gave it one) need their org read.
        static bool Carries(StoredDeployment d) => d.Org is { DefaultWorkspaceId.Length: > 0 };
        var orgs = await OrgsAsync(stored.Where(d => d is not null && !Carries(d)).Select(d => d!.OrgId), ct);
        DeploymentOrg? OrgOf(StoredDeployment d) =>
            Carries(d) ? d.Org : orgs.GetValueOrDefault(d.OrgId) is { } o ? new DeploymentOrg(o.Name, o.DefaultWorkspaceId ?? "") : d.Org;
        var views = stored.Select((d, i) => (Deployment: d, Name: names[i])).Where(x => x.Deployment is not null).Select(x =>
        {
            var d = x.Deployment!;
            var a = d.Activity;
            var org = OrgOf(d);
            var (runs, nodes) = a.Last24Hours(now);
            return new DeploymentView(d.Key.LicenseId, d.Key.ApiKeyId, d.OrgId, org?.Name ?? "",
                // Usage without a workspace shows in the org's default workspace (ADR 0008).
                d.Key.WorkspaceId.Length > 0 ? d.Key.WorkspaceId : org?.DefaultWorkspaceId ?? "",
                d.Key.ProjectId, x.Name,
                ReportingState.Of(a.LastReportAt, now), a.FirstReportAt, a.LastReportAt, a.Replicas(now),
                a.Client, a.Features, a.Gauges, runs, nodes);
        }).Where(v => state is null || v.State == state)
            .OrderBy(v => ReportingState.Rank(v.State)).ToList(); // stable: within the page, a change the index has not caught up with yet is already in place
        return new DeploymentList(views, page.Next?.Encode(), StateCounts.Of(await index.CountsAsync(FleetIndexStore.Deployments, scope, ct)));
    }

    /// <summary>The orgs a page names: one point read each, never a listing of every org.</summary>
    private async Task<Dictionary<string, Organization>> OrgsAsync(IEnumerable<string> orgIds, CancellationToken ct)
    {
        var orgs = new Dictionary<string, Organization>(StringComparer.Ordinal);
        foreach (var id in orgIds.Distinct(StringComparer.Ordinal))
            if (await directory.GetOrgAsync(id, ct) is { } org) orgs[id] = org;
        return orgs;
    }
}
