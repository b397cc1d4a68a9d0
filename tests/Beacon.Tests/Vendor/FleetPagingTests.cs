using System.Net;
using System.Text.Json;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Vendor;

/// <summary>
/// Paged operator listings (SPEC §15): every page in a stable order (silent, reporting, never), every
/// deployment and license exactly once across pages, counts per state from the index, bad paging input
/// refused, and a page's storage reads bounded by its size rather than the fleet's.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetPagingTests(BeaconFixture f)
{
    [Fact]
    public async Task Paging_an_orgs_fleet_serves_each_deployment_and_license_once_silent_first_with_exact_counts()
    {
        var key = await Operators.NewKeyAsync(f, "paging-operator");
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var (keyB, licenseB) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, ["agent_deployments"]);
        var (_, licenseC) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, ["agent_deployments"]);
        var t = f.Clock.GetUtcNow().AddMinutes(-5);
        // The model: (license, project) → state, kept by hand beside what is sent.
        var model = new Dictionary<(string License, string Project), string>();
        for (int i = 0; i < 8; i++)
        {
            await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 1, org.WorkspaceA, $"a-{i}");
            model[(org.LicenseId, $"a-{i}")] = ReportingState.Reporting;
        }
        for (int i = 0; i < 4; i++)
        {
            await Operators.SubmitAsync(f, keyB, t, t.AddMinutes(5), 1, org.WorkspaceA, $"b-{i}");
            model[(licenseB.LicenseId, $"b-{i}")] = ReportingState.Reporting;
        }
        await Operators.EventuallyAsync(() => Page($"/api/v1/operator/deployments?org_id={org.OrgId}&limit=1000"), p => Items(p, "deployments").Count == 12);

        // 681 s later every deployment is silent (the sweep moves them within 20 s of 660 s); then two of A's report again.
        using var later = f.Clock.ShiftFor(TimeSpan.FromSeconds(681));
        foreach (var k in model.Keys) model[k] = ReportingState.Silent;
        var allSilent = await Operators.EventuallyAsync(() => Page($"/api/v1/operator/deployments?org_id={org.OrgId}&state=silent"), p => Items(p, "deployments").Count == 12, seconds: 120);
        Assert.Equal(12, Items(allSilent, "deployments").Count);
        t = f.Clock.GetUtcNow().AddMinutes(-5);
        for (int i = 0; i < 2; i++)
        {
            await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 1, org.WorkspaceA, $"a-{i}");
            model[(org.LicenseId, $"a-{i}")] = ReportingState.Reporting;
        }
        // (The counters follow the index entries by a moment, and the licenses follow their deployments.)
        await Operators.EventuallyAsync(() => Page($"/api/v1/operator/deployments?org_id={org.OrgId}&state=reporting"),
            p => Items(p, "deployments").Count == 2 && p.GetProperty("counts").GetProperty("reporting").GetInt64() == 2 && p.GetProperty("counts").GetProperty("silent").GetInt64() == 10, seconds: 120);
        await Operators.EventuallyAsync(() => Page($"/api/v1/operator/licenses?org_id={org.OrgId}"),
            p => p.GetProperty("counts").GetProperty("reporting").GetInt64() == 1 && p.GetProperty("counts").GetProperty("silent").GetInt64() == 1, seconds: 120);

        // Pages of 5: every deployment once, silent ones first, the last page says so, and the counts are the model's.
        var seen = new List<JsonElement>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await Page($"/api/v1/operator/deployments?org_id={org.OrgId}&limit=5" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            var items = Items(page, "deployments");
            Assert.True(items.Count <= 5);
            seen.AddRange(items);
            cursor = page.GetProperty("next_cursor").GetString();
            var counts = page.GetProperty("counts");
            Assert.Equal((2L, 10L, 0L), (counts.GetProperty("reporting").GetInt64(), counts.GetProperty("silent").GetInt64(), counts.GetProperty("never").GetInt64()));
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        var states = seen.Select(d => d.GetProperty("state").GetString()!).ToList();
        Assert.Equal(states.OrderBy(ReportingState.Rank).ToList(), states);
        Assert.Equal(model.OrderBy(m => m.Key).Select(m => $"{m.Key.License}/{m.Key.Project}={m.Value}"),
            seen.Select(d => $"{d.GetProperty("license_id").GetString()}/{d.GetProperty("project_id").GetString()}={d.GetProperty("state").GetString()}").Order());

        // One license's deployments, its own scope and counts.
        var ofB = await Page($"/api/v1/operator/deployments?license_id={licenseB.LicenseId}");
        Assert.Equal(4, Items(ofB, "deployments").Count);
        Assert.Equal(4, ofB.GetProperty("counts").GetProperty("silent").GetInt64());

        // Licenses: B silent, A reporting, C never — in that order, over pages of two.
        var first = await Page($"/api/v1/operator/licenses?org_id={org.OrgId}&limit=2");
        var second = await Page($"/api/v1/operator/licenses?org_id={org.OrgId}&limit=2&cursor={Uri.EscapeDataString(first.GetProperty("next_cursor").GetString()!)}");
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        Assert.Equal([(licenseB.LicenseId, "silent"), (org.LicenseId, "reporting"), (licenseC.LicenseId, "never")],
            Items(first, "licenses").Concat(Items(second, "licenses")).Select(l => (l.GetProperty("license_id").GetString(), l.GetProperty("reporting_state").GetString())));
        var c = first.GetProperty("counts");
        Assert.Equal((1L, 1L, 1L), (c.GetProperty("reporting").GetInt64(), c.GetProperty("silent").GetInt64(), c.GetProperty("never").GetInt64()));
        var never = await Page($"/api/v1/operator/licenses?org_id={org.OrgId}&state=never");
        Assert.Equal([licenseC.LicenseId], Items(never, "licenses").Select(l => l.GetProperty("license_id").GetString()));
        Assert.Equal(org.LicenseId, (await Page($"/api/v1/operator/licenses/{org.LicenseId}")).GetProperty("license_id").GetString());

        // A page of 3 reads a bounded number of entities: the index (4), 3 deployments, the org, its projects and the counts.
        var before = f.Metrics.EntitiesRead;
        await Page($"/api/v1/operator/deployments?org_id={org.OrgId}&limit=3");
        Assert.InRange(f.Metrics.EntitiesRead - before, 3, 25);

        async Task<JsonElement> Page(string path) => await Operators.GetJsonAsync(f.Http, path, key);
    }

    [Theory]
    [InlineData("/api/v1/operator/deployments?limit=0", "limit")]
    [InlineData("/api/v1/operator/deployments?limit=1001", "limit")]
    [InlineData("/api/v1/operator/licenses?limit=ten", "limit")]
    [InlineData("/api/v1/operator/licenses?cursor=not-a-cursor!", "cursor")]
    [InlineData("/api/v1/operator/audit?cursor=", "cursor")]
    [InlineData("/api/v1/operator/deployments?state=reporting&cursor=c2lsZW50CmFiYw", "cursor")] // a cursor of the silent section
    [InlineData("/api/v1/operator/audit?cursor=c2lsZW50CmFiYw", "cursor")] // a fleet cursor on the audit log
    public async Task Bad_paging_input_is_a_problem_naming_the_parameter(string path, string field)
    {
        var key = await Operators.NewKeyAsync(f, "paging-bad");
        var response = await Operators.SendAsync(f.Http, HttpMethod.Get, path, key);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_without_gaps_or_repeats()
    {
        var key = await Operators.NewKeyAsync(f, "paging-audit");
        var audit = f.Services.GetRequiredService<AuditLog>();
        var marker = Guid.NewGuid().ToString("N");
        for (int i = 0; i < 7; i++) await audit.AppendAsync("paging-test", "test.paging", $"{marker}:{i}"); // each a round trip later than the last
        var targets = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), key);
            targets.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("target").GetString()!).Where(x => x.StartsWith(marker, StringComparison.Ordinal)));
            cursor = targets.Count == 7 ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"{marker}:{i}"), targets);
    }

    [Fact]
    public async Task A_state_change_applied_twice_after_a_crash_counts_once()
    {
        var index = f.Services.GetRequiredService<FleetIndexStore>();
        var orgId = Guid.NewGuid().ToString();
        var licenseId = Guid.NewGuid().ToString();
        var scope = FleetIndexStore.OrgScope(orgId);
        await index.AddLicenseAsync(orgId, licenseId, default);
        await index.AddLicenseAsync(orgId, licenseId, default); // a retried create
        Assert.Equal(new FleetCounts(0, 0, 1), await index.CountsAsync(FleetIndexStore.Licenses, scope, default));

        var reporting = IndexedState.None.MoveTo(ReportingState.Reporting);
        for (int i = 0; i < 2; i++) await index.ApplyDeploymentAsync(orgId, "license:x|w|p", licenseId, reporting, default);
        Assert.Equal(new FleetCounts(1, 0, 0), await index.CountsAsync(FleetIndexStore.Deployments, scope, default));
        Assert.Equal(new FleetCounts(1, 0, 0), await index.CountsAsync(FleetIndexStore.Licenses, scope, default));

        var silent = reporting.MoveTo(ReportingState.Silent);
        for (int i = 0; i < 2; i++) await index.ApplyDeploymentAsync(orgId, "license:x|w|p", licenseId, silent, default);
        Assert.Equal(new FleetCounts(0, 1, 0), await index.CountsAsync(FleetIndexStore.Deployments, scope, default));
        Assert.Equal(new FleetCounts(0, 1, 0), await index.CountsAsync(FleetIndexStore.Licenses, scope, default));
        var page = await index.PageAsync(FleetIndexStore.Deployments, scope, null, null, 10, default);
        Assert.Equal([("license:x|w|p", ReportingState.Silent)], page.Entries.Select(e => (e.Row, e.State)));
        Assert.Null(page.Next);
    }

    private static List<JsonElement> Items(JsonElement page, string name) => [.. page.GetProperty(name).EnumerateArray()];
}
