using System.Text.Json;
using Beacon.Cli;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Vendor;

/// <summary>The fleet view (SPEC §12): deployments and licenses built from real submissions, off the request path.</summary>
[Collection(FleetCollection.Name)]
[Trait("Tier", "Slow")] // waits for the fleet writer's ticks
public sealed class FleetTests(BeaconFixture f)
{
    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    [Fact]
    public async Task Every_deployment_field_comes_from_the_windows_and_the_state_follows_the_clock()
    {
        var key = await Operators.NewKeyAsync(f);
        var orgName = "Fleet org " + Guid.NewGuid().ToString("N")[..6];
        var org = await f.NewOrgAsync(orgName);
        var project = Guid.NewGuid().ToString();
        await f.Services.GetRequiredService<DirectoryStore>().NameProjectAsync(org.OrgId, project, "Support Agent");
        var start = Minute(f.Clock.GetUtcNow()).AddMinutes(-30);

        // Three replicas, each a chain of five-minute windows from its own start.
        long runs = 0;
        var heads = new DateTimeOffset[3];
        for (int r = 0; r < 3; r++)
        {
            var t = start.AddSeconds(7 * r + 0.123456);
            for (int i = 0; i < 5; i++, t = t.AddMinutes(5))
            {
                await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 10 + r + i, org.WorkspaceA, project);
                runs += 10 + r + i;
            }
            heads[r] = t;
        }
        // The same window as a retry merged with the next one (same start, later end, more runs) adds the
        // difference only; it is the latest window, from an upgraded client, so its version is the one shown.
        await Operators.SubmitAsync(f, org.LicenseKey, heads[2].AddMinutes(-5), heads[2].AddMinutes(1), 10 + 2 + 4 + 6, org.WorkspaceA, project, apiVersion: "0.6.1");
        runs += 6;
        heads[2] = heads[2].AddMinutes(1);
        // A license-only deployment (no tenant id) shows in the org's default workspace.
        await Operators.SubmitAsync(f, org.LicenseKey, start, start.AddMinutes(5), 4, "", "");

        // The writer merges a deployment at most once a minute (FleetRecorder.WriteInterval), and its first merge may
        // have caught only some of these windows: a minute later, by the app's clock, it has written them all.
        List<JsonElement> list;
        using (f.Clock.ShiftFor(TimeSpan.FromSeconds(61)))
            list = await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId),
                l => l.Count == 2 && l.Any(d => d.GetProperty("runs_24h").GetInt64() == runs));
        var d = list.Single(x => x.GetProperty("project_id").GetString() == project);
        Assert.Equal(org.LicenseId, d.GetProperty("license_id").GetString());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("api_key_id").ValueKind);
        Assert.Equal(org.OrgId, d.GetProperty("org_id").GetString());
        Assert.Equal(org.WorkspaceA, d.GetProperty("workspace_id").GetString());
        Assert.Equal("Support Agent", d.GetProperty("project_name").GetString());
        Assert.Equal("reporting", d.GetProperty("state").GetString());
        Assert.Equal(3, d.GetProperty("replicas").GetInt32());
        Assert.Equal(runs, d.GetProperty("runs_24h").GetInt64());
        Assert.Equal(runs * 3, d.GetProperty("nodes_24h").GetInt64());
        Assert.True(d.GetProperty("first_report_at").GetDateTimeOffset() <= d.GetProperty("last_report_at").GetDateTimeOffset());
        var client = d.GetProperty("client");
        Assert.Equal("0.6.1", client.GetProperty("langgraph_api_version").GetString());
        Assert.Equal(("1.0.3", "self-hosted", "enterprise", "", ""), (client.GetProperty("langgraph_version").GetString(), client.GetProperty("host").GetString(),
            client.GetProperty("plan").GetString(), client.GetProperty("variant").GetString(), client.GetProperty("revision").GetString()));
        Assert.Equal(
            ["langgraph.platform.uses_custom_auth", "langgraph.platform.uses_js_custom_auth", "langgraph.platform.uses_js_proxy_middleware",
             "user_app.uses_custom_app", "user_app.uses_custom_auth", "user_app.uses_indexing", "user_app.uses_store_ttl", "user_app.uses_thread_ttl"],
            d.GetProperty("features").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("False", d.GetProperty("features").GetProperty("langgraph.platform.uses_custom_auth").GetString());
        Assert.Equal((3.0, 0.0), (d.GetProperty("gauges").GetProperty("langgraph.platform.py_graphs").GetDouble(), d.GetProperty("gauges").GetProperty("langgraph.platform.js_graphs").GetDouble()));
        var unassigned = list.Single(x => x.GetProperty("project_id").GetString() == "");
        Assert.Equal(org.DefaultWorkspace, unassigned.GetProperty("workspace_id").GetString());
        Assert.All(list, x => Assert.Equal(orgName, x.GetProperty("org_name").GetString()));

        var license = await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId);
        Assert.Equal("reporting", license.GetProperty("reporting_state").GetString());

        // 661 s without a window: silent (listed first), no live replica, and the license with it.
        using var elevenMinutesLater = f.Clock.ShiftFor(TimeSpan.FromSeconds(661));
        list = await Operators.DeploymentsAsync(f, key, org.OrgId);
        Assert.All(list, x => Assert.Equal("silent", x.GetProperty("state").GetString()));
        Assert.Equal(0, list.Single(x => x.GetProperty("project_id").GetString() == project).GetProperty("replicas").GetInt32());
        Assert.Equal("silent", (await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId)).GetProperty("reporting_state").GetString());
        Assert.Empty((await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/deployments?org_id={org.OrgId}&state=reporting", key)).GetProperty("deployments").EnumerateArray());

        // The org's default workspace changes while no window comes (the records carry it): the view follows at once.
        Assert.Equal(0, await CliApp.RunAsync(["admin", "org", "set-default-workspace", "--org", org.OrgId, "--workspace", org.WorkspaceB], TextWriter.Null, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString }));
        list = await Operators.DeploymentsAsync(f, key, org.OrgId);
        Assert.Equal(org.WorkspaceB, list.Single(x => x.GetProperty("project_id").GetString() == "").GetProperty("workspace_id").GetString());
        Assert.Equal(org.WorkspaceA, list.Single(x => x.GetProperty("project_id").GetString() == project).GetProperty("workspace_id").GetString());

        // The index behind the state filter and the counts follows within 20 s (the sweep's 10 s buckets and cadence).
        using var settled = f.Clock.ShiftFor(TimeSpan.FromSeconds(20));
        var silentPage = await Operators.EventuallyAsync(() => Operators.GetJsonAsync(f.Http, $"/api/v1/operator/deployments?org_id={org.OrgId}&state=silent", key),
            p => p.GetProperty("deployments").GetArrayLength() == 2 && p.GetProperty("counts").GetProperty("silent").GetInt64() == 2
                && p.GetProperty("counts").GetProperty("reporting").GetInt64() == 0, // the counters follow the entries by a moment
            seconds: 300); // the sweep may first have every earlier test's deployments to move (thousands): they all went silent with this shift
        Assert.Equal((0, 2), (silentPage.GetProperty("counts").GetProperty("reporting").GetInt64(), silentPage.GetProperty("counts").GetProperty("silent").GetInt64()));
        var licensePage = await Operators.EventuallyAsync(() => Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses?org_id={org.OrgId}&state=silent", key),
            p => p.GetProperty("counts").GetProperty("silent").GetInt64() == 1, seconds: 120);
        Assert.Equal([org.LicenseId], licensePage.GetProperty("licenses").EnumerateArray().Select(l => l.GetProperty("license_id").GetString()));
        Assert.Equal(1, licensePage.GetProperty("counts").GetProperty("silent").GetInt64());

        // The next window of one replica (after the outage the client sends one long window): reporting again, one replica.
        await Operators.SubmitAsync(f, org.LicenseKey, heads[1], f.Clock.GetUtcNow().AddSeconds(-1), 50, org.WorkspaceA, project);
        list = await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId),
            l => l.Any(x => x.GetProperty("state").GetString() == "reporting"));
        // The one still silent is listed first.
        Assert.Equal(["", project], list.Select(x => x.GetProperty("project_id").GetString()));
        d = list[1];
        Assert.Equal(("reporting", 1), (d.GetProperty("state").GetString(), d.GetProperty("replicas").GetInt32()));
        Assert.Equal("reporting", (await Operators.EventuallyAsync(() => Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId),
            l => l.GetProperty("reporting_state").GetString() == "reporting")).GetProperty("reporting_state").GetString());
    }

    [Fact]
    public async Task A_license_that_never_reported_is_never_and_api_key_copies_are_their_own_deployment()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        var (_, quiet) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "starter", null, []);
        var now = Minute(f.Clock.GetUtcNow());
        var body = Payloads.CurrentClientWindow(now.AddMinutes(-5), now, 3, 9, apiKey: org.ApiKey, tenant: org.WorkspaceB, project: "p-1");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", body)).StatusCode);

        var d = Assert.Single(await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1));
        Assert.Equal(org.ApiKeyRecord.KeyId, d.GetProperty("api_key_id").GetString());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("license_id").ValueKind);
        Assert.Equal("never", (await Operators.LicenseAsync(f, key, org.OrgId, quiet.LicenseId)).GetProperty("reporting_state").GetString());
        Assert.Equal("never", (await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId)).GetProperty("reporting_state").GetString());
    }

    [Fact]
    public async Task A_deployment_record_is_written_at_most_once_a_minute_however_often_it_reports()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        var t = Minute(f.Clock.GetUtcNow()).AddMinutes(-30);
        await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(1), 1, org.WorkspaceA, "p");
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1);
        async Task<Azure.ETag> ETagAsync() => (await f.RawAsync(f.Tables.Deployments, org.OrgId)).Single().ETag;
        // The first merge is followed by one more write: the record notes that the fleet index has its state.
        await Operators.EventuallyAsync(() => f.RawAsync(f.Tables.Deployments, org.OrgId), e => e.Single().GetInt64("state_applied") == 1);
        var first = await ETagAsync();

        for (int i = 1; i <= 20; i++) await Operators.SubmitAsync(f, org.LicenseKey, t.AddMinutes(i), t.AddMinutes(i + 1), 1, org.WorkspaceA, "p");
        // What the writer does on each tick, three times: this deployment is not due within the minute, so its
        // record is not written (other tests' deployments in this collection may be).
        var recorder = f.Services.GetRequiredService<Beacon.Api.Fleet.FleetRecorder>();
        for (int tick = 0; tick < 3; tick++) await recorder.FlushAsync(all: false, CancellationToken.None);
        Assert.Equal(first, await ETagAsync());

        using var aMinuteLater = f.Clock.ShiftFor(TimeSpan.FromSeconds(61));
        var d = Assert.Single(await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Single().GetProperty("runs_24h").GetInt64() == 21));
        Assert.Equal(21, d.GetProperty("runs_24h").GetInt64());
        Assert.NotEqual(first, await ETagAsync());
    }
}
