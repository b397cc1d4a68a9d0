using Beacon.Api.Licenses;
using Beacon.Domain.Statements;
using Beacon.Storage.Statements;
using Beacon.Domain.Credentials;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Api.Operator;

/// <summary>
/// Builds the operator's views from the stores: licenses with their verification counts and reporting
/// state, and deployments from the fleet records (one entity per deployment, never the usage windows).
/// </summary>
internal sealed class FleetQueries(DirectoryStore directory, CredentialStore credentials, DeploymentStore deployments,
    VerificationStore verifications, WindowStore windows, QuotaMeter quotas, TimeProvider time)
{
    public async Task<IReadOnlyList<LicenseView>> LicensesAsync(string? orgId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var orgs = await OrgsAsync(ct);
        var licenses = orgId is null ? await credentials.ListAllLicensesAsync(ct) : await credentials.ListLicensesAsync(orgId, ct);
        var lastReport = (await deployments.ListAsync(orgId, ct: ct))
            .Where(d => d.Key.LicenseId is not null)
            .GroupBy(d => d.Key.LicenseId!)
            .ToDictionary(g => g.Key, g => g.Max(d => d.Activity.LastReportAt));
        var views = new List<LicenseView>();
        var usageByOrg = new Dictionary<string, IReadOnlyDictionary<string, MeterTotals>>();
        foreach (var l in licenses)
        {
            var quotaViews = new List<QuotaView>();
            if (l.Quotas.Count > 0)
            {
                if (!usageByOrg.TryGetValue(l.OrgId, out var orgUsage)) usageByOrg[l.OrgId] = orgUsage = await quotas.ReadOrgAsync(l.OrgId, ct);
                quotaViews.AddRange(quotas.Evaluate(l, orgUsage).Select(QuotaView.Of));
            }
            var counts = await verifications.CountAsync(l.LicenseId, today.AddDays(-29), today, ct);
            var ignored = await windows.CountLowerCountSupersedesAsync(Reporter.ForLicense(l.LicenseId), today.AddDays(-29), today, ct);
            var last = lastReport.GetValueOrDefault(l.LicenseId);
            views.Add(new LicenseView(l.LicenseId, l.OrgId, orgs.GetValueOrDefault(l.OrgId)?.Name ?? "", l.Plan, l.Status.ToString().ToLowerInvariant(),
                l.ExpiresAt, l.Entitlements, quotaViews, counts.LastVerifiedAt, counts.Accepted, counts.Refused, last,
                ReportingState.Of(last, now), ignored, l.CreatedAt));
        }
        return [.. views.OrderBy(v => ReportingState.Rank(v.ReportingState)).ThenBy(v => v.OrgName, StringComparer.Ordinal).ThenBy(v => v.CreatedAt)];
    }

    public async Task<IReadOnlyList<DeploymentView>> DeploymentsAsync(string? orgId, string? licenseId, string? state, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var orgs = await OrgsAsync(ct);
        var stored = await deployments.ListAsync(orgId, licenseId, ct);
        var projectNames = new Dictionary<string, Dictionary<string, string>>();
        foreach (var org in stored.Select(d => d.OrgId).Distinct())
            projectNames[org] = (await directory.ListProjectsAsync(org, ct)).GroupBy(p => p.ProjectId).ToDictionary(g => g.Key, g => g.First().Name);
        var views = stored.Select(d =>
        {
            var a = d.Activity;
            var org = orgs.GetValueOrDefault(d.OrgId);
            var (runs, nodes) = a.Last24Hours(now);
            return new DeploymentView(d.Key.LicenseId, d.Key.ApiKeyId, d.OrgId, org?.Name ?? "",
                // Usage without a workspace shows in the org's default workspace (ADR 0008).
                d.Key.WorkspaceId.Length > 0 ? d.Key.WorkspaceId : org?.DefaultWorkspaceId ?? "",
                d.Key.ProjectId, projectNames[d.OrgId].GetValueOrDefault(d.Key.ProjectId, ""),
                ReportingState.Of(a.LastReportAt, now), a.FirstReportAt, a.LastReportAt, a.Replicas(now),
                a.Client, a.Features, a.Gauges, runs, nodes);
        });
        if (state is not null) views = views.Where(v => v.State == state);
        return [.. views.OrderBy(v => ReportingState.Rank(v.State)).ThenByDescending(v => v.LastReportAt)];
    }

    private async Task<Dictionary<string, Organization>> OrgsAsync(CancellationToken ct) =>
        (await directory.ListOrgsAsync(ct).ToListAsync(ct)).ToDictionary(o => o.OrgId);
}
