using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Cli;
using Beacon.Domain.Time;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>
/// The current platform client (langgraph-api 0.5.x), byte for byte: its paths, its license-only and
/// API-key copies, its empty tenant and project ids, its graph gauges; and where that usage shows.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class PlatformClientTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset From = new(2026, 4, 2, 8, 0, 0, 654, 321, TimeSpan.Zero);

    private async Task<List<UsageModel.Row>> DeploymentsAsync(TestOrg org, string workspace, string group = "workspace")
    {
        var query = UsageClient.QueryString("langsmith_deployments", group, null, "2026-04-01", "2026-04-05", [workspace]);
        return (await UsageClient.QueryAsync(f.Http, org.ApiKey, query, group)).Rows;
    }

    private async Task<string> DefaultWorkspaceAsync(TestOrg org) =>
        (await f.Services.GetRequiredService<DirectoryStore>().GetOrgAsync(org.OrgId))!.DefaultWorkspaceId!;

    [Fact]
    public void The_body_builder_writes_exactly_the_current_clients_bytes()
    {
        // SPEC §4.4, verbatim, with the license key's placeholder.
        const string expected = "{\"from_timestamp\":\"2026-04-02T08:00:00.654321+00:00\",\"to_timestamp\":\"2026-04-02T08:05:00.700112+00:00\",\"tags\":{\"langgraph.python.version\":\"1.0.3\",\"langgraph_api.version\":\"0.5.23\",\"langgraph.platform.revision\":\"\",\"langgraph.platform.variant\":\"\",\"langgraph.platform.host\":\"self-hosted\",\"langgraph.platform.tenant_id\":\"\",\"langgraph.platform.project_id\":\"\",\"langgraph.platform.plan\":\"enterprise\",\"user_app.uses_indexing\":\"\",\"user_app.uses_custom_app\":\"\",\"user_app.uses_custom_auth\":\"\",\"user_app.uses_thread_ttl\":\"\",\"user_app.uses_store_ttl\":\"\",\"langgraph.platform.uses_custom_auth\":\"False\",\"langgraph.platform.uses_js_custom_auth\":\"False\",\"langgraph.platform.uses_js_proxy_middleware\":\"False\"},\"measures\":{\"langgraph.platform.runs\":7,\"langgraph.platform.nodes\":21,\"langgraph.platform.py_graphs\":3,\"langgraph.platform.js_graphs\":0},\"logs\":[],\"license_key\":\"lcl_…\"}";
        Assert.Equal(expected, Payloads.CurrentClientWindow(From, new DateTimeOffset(2026, 4, 2, 8, 5, 0, 700, 112, TimeSpan.Zero), 7, 21, licenseKey: "lcl_…"));
    }

    [Fact]
    public async Task The_license_copy_is_accepted_at_the_beacon_path_and_its_retry_merge_counts_once_with_gauges_kept_apart()
    {
        var org = await f.NewOrgAsync();
        var first = Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey, pyGraphs: 3);
        // The POST "failed" on the client side: the next window carries both counts, same from_timestamp.
        var merged = Payloads.CurrentClientWindow(From, From.AddMinutes(10), 7 + 4, 21 + 12, licenseKey: org.LicenseKey, pyGraphs: 5);

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit", first)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit", merged)).StatusCode);

        var row = Assert.Single(await DeploymentsAsync(org, await DefaultWorkspaceAsync(org)));
        Assert.Equal((11L, 33L, 600L), (row.Runs, row.Nodes, row.Uptime));
        var stored = Assert.Single(await f.RawAsync(f.Tables.UsageWindows, org.OrgId));
        var measures = JsonDocument.Parse(stored.GetString("measures")!).RootElement;
        Assert.Equal((5.0, 0.0), (measures.GetProperty("langgraph.platform.py_graphs").GetDouble(), measures.GetProperty("langgraph.platform.js_graphs").GetDouble()));
        var tags = JsonDocument.Parse(stored.GetString("tags")!).RootElement;
        Assert.Equal("False", tags.GetProperty("langgraph.platform.uses_js_proxy_middleware").GetString());
    }

    [Fact]
    public async Task The_api_key_copy_is_accepted_at_both_control_plane_paths()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 2, 4, apiKey: org.ApiKey))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/api/v1/metadata/submit", Payloads.CurrentClientWindow(From.AddMinutes(5), From.AddMinutes(10), 3, 6, apiKey: org.ApiKey))).StatusCode);
        var row = Assert.Single(await DeploymentsAsync(org, await DefaultWorkspaceAsync(org)));
        Assert.Equal((5L, 10L), (row.Runs, row.Nodes));
    }

    [Fact]
    public async Task The_license_copy_and_the_api_key_copy_of_one_window_count_once()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/api/v1/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, apiKey: org.ApiKey))).StatusCode);

        var row = Assert.Single(await DeploymentsAsync(org, await DefaultWorkspaceAsync(org)));
        Assert.Equal((7L, 21L, 300L), (row.Runs, row.Nodes, row.Uptime));
        Assert.Single(await f.RawAsync(f.Tables.UsageWindows, org.OrgId));
    }

    [Fact]
    public async Task A_license_only_deployment_shows_in_the_orgs_default_workspace_in_json_and_csv_with_a_null_project()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey));
        var defaultWorkspace = await DefaultWorkspaceAsync(org);

        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/current/workspaces");
        list.Headers.Add("X-Api-Key", org.ApiKey);
        var workspaces = (await (await f.Http.SendAsync(list)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workspaces").EnumerateArray();
        Assert.Contains(workspaces, w => w.GetProperty("workspace_id").GetString() == defaultWorkspace && w.GetProperty("workspace_name").GetString() == "Default");

        var byWorkspace = Assert.Single(await DeploymentsAsync(org, defaultWorkspace));
        Assert.Equal((defaultWorkspace, "Default", 7L), (byWorkspace.Id, byWorkspace.Name, byWorkspace.Runs));
        var byProject = Assert.Single(await DeploymentsAsync(org, defaultWorkspace, "project"));
        Assert.Equal((null, null, 21L), (byProject.Id, byProject.Name, byProject.Nodes));
        Assert.Empty(await DeploymentsAsync(org, org.WorkspaceA));

        var csv = await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage/export?" +
            UsageClient.QueryString("langsmith_deployments", "workspace", null, "2026-04-01", "2026-04-05", [defaultWorkspace]), org.ApiKey);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"2026-04-02T00:00:00Z,2026-04-03T00:00:00Z,{defaultWorkspace},Default,,,,,,21,7,300", Assert.Single(lines[1..]));
    }

    [Fact]
    public async Task After_set_default_workspace_that_usage_shows_in_the_chosen_workspace_earlier_usage_included()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey));
        var original = await DefaultWorkspaceAsync(org);

        using var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["admin", "org", "set-default-workspace", "--org", org.OrgId, "--workspace", org.WorkspaceB, "--json"], stdout, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
        Assert.Equal(0, code);
        Assert.Equal(org.WorkspaceB, JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("default_workspace_id").GetString());
        await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(From.AddMinutes(5), From.AddMinutes(10), 1, 1, licenseKey: org.LicenseKey));

        Assert.Empty(await DeploymentsAsync(org, original));
        var row = Assert.Single(await DeploymentsAsync(org, org.WorkspaceB));
        Assert.Equal((8L, 22L, "Workspace B"), (row.Runs, row.Nodes, row.Name));
        // A workspace of no org (or another org's) cannot become the default.
        Assert.NotEqual(0, await CliApp.RunAsync(["admin", "org", "set-default-workspace", "--org", org.OrgId, "--workspace", Guid.NewGuid().ToString()], TextWriter.Null, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString }));
    }

    [Fact]
    public async Task A_window_stored_without_a_workspace_before_the_upgrade_and_superseded_after_it_counts_once()
    {
        // An org as it was before default workspaces existed: no default recorded, no Default workspace.
        var directory = f.Services.GetRequiredService<DirectoryStore>();
        var org = await f.NewOrgAsync();
        await f.Tables.Directory.UpsertEntityAsync(new TableEntity("orgs", org.OrgId) { ["default_workspace_id"] = "" }, TableUpdateMode.Merge);
        var before = await directory.GetOrgAsync(org.OrgId);
        Assert.Null(before!.DefaultWorkspaceId);
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey));

        // The upgrade step (what runs by itself at start), then the client's retry-merge of the same window.
        var upgraded = await directory.EnsureDefaultWorkspaceAsync(before);
        await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(10), 7 + 2, 21 + 6, licenseKey: org.LicenseKey));

        Assert.Equal(upgraded.WorkspaceId, (await directory.GetOrgAsync(org.OrgId))!.DefaultWorkspaceId);
        Assert.Contains(await directory.ListWorkspacesAsync(org.OrgId), w => w.WorkspaceId == upgraded.WorkspaceId && w.Name == "Default");
        var row = Assert.Single(await DeploymentsAsync(org, upgraded.WorkspaceId));
        Assert.Equal((9L, 27L, 600L), (row.Runs, row.Nodes, row.Uptime));
    }

    [Fact]
    public async Task An_api_key_limited_to_other_workspaces_cannot_report_into_the_default_one()
    {
        var org = await f.NewOrgAsync();
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateApiKeyAsync(org.OrgId, null, [], [org.WorkspaceA]);
        var response = await f.PostJsonAsync("/api/v1/metadata/submit", Payloads.CurrentClientWindow(From, From.AddMinutes(5), 1, 1, apiKey: key));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/api/v1/metadata/submit",
            Payloads.CurrentClientWindow(From, From.AddMinutes(5), 1, 1, apiKey: key, tenant: org.WorkspaceA))).StatusCode);
    }
}
