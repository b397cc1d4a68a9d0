using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Usage;

[Collection(BeaconCollection.Name)]
public sealed class GranularUsageTests(NoFleetWriterFixture f)
{
    private const string UsagePath = "/api/v1/orgs/current/billing/granular-usage";
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task SubmitAsync(TestOrg org, DateTimeOffset from, TimeSpan length, long runs, long nodes, string? ws = null, string project = "")
    {
        var r = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, from, from + length, runs, nodes, ws ?? org.WorkspaceA, project));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    private async Task<JsonElement> GetJsonAsync(TestOrg org, string query, HttpStatusCode expected = HttpStatusCode.OK, string? key = null)
    {
        var response = await UsageClient.GetAsync(f.Http, UsagePath + "?" + query, key ?? org.ApiKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task The_seeds_worked_example_returns_the_full_jan_1_and_jan_2_buckets()
    {
        var org = await f.NewOrgAsync();
        // Usage at the very start of Jan 1 and the very end of Jan 2: outside [12:00, 12:00) but inside the days.
        await SubmitAsync(org, Jan1.AddMinutes(10), TimeSpan.FromMinutes(5), 3, 9);
        await SubmitAsync(org, Jan1.AddDays(1).AddHours(23), TimeSpan.FromMinutes(30), 4, 16);
        await SubmitAsync(org, Jan1.AddDays(2), TimeSpan.FromMinutes(5), 100, 100); // Jan 3: excluded

        var body = await GetJsonAsync(org, $"kind=langsmith_deployments&start_time=2026-01-01T12:00:00Z&end_time=2026-01-02T12:00:00Z&workspace_ids={org.WorkspaceA}");

        Assert.Equal("{\"days\":1,\"hours\":0}", body.GetProperty("stride").GetRawText());
        var usage = body.GetProperty("usage").EnumerateArray().ToList();
        Assert.Equal(["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"], usage.Select(u => u.GetProperty("time_bucket").GetString()));
        Assert.Equal([3L, 4L], usage.Select(u => u.GetProperty("agent_runs").GetInt64()));
        Assert.Equal([9L, 16L], usage.Select(u => u.GetProperty("nodes_executed").GetInt64()));
        Assert.Equal([300L, 1800L], usage.Select(u => u.GetProperty("agent_uptime_seconds").GetInt64()));
        Assert.Equal("{\"workspace_id\":\"" + org.WorkspaceA + "\",\"workspace_name\":\"Workspace A\"}", usage[0].GetProperty("dimensions").GetRawText());
    }

    [Theory]
    [InlineData(31, 1)]
    [InlineData(32, 7)]
    [InlineData(93, 7)]
    [InlineData(94, 30)]
    [InlineData(366, 30)]
    [InlineData(367, 365)]
    public async Task Ranges_get_the_seeds_stride_and_buckets_start_at_the_normalized_start(int days, int stride)
    {
        var org = await f.NewOrgAsync();
        var jan1 = Jan1.AddYears(-1); // a year back, so the longest range ends before today (usage may not be in the future)
        await SubmitAsync(org, jan1.AddHours(1), TimeSpan.FromHours(1), 1, 1);
        await SubmitAsync(org, jan1.AddDays(days - 1).AddHours(1), TimeSpan.FromHours(1), 1, 1);
        var end = jan1.AddDays(days);

        var body = await GetJsonAsync(org, $"kind=langsmith_deployments&start_time={UsageModel.Iso(jan1.AddHours(6))}&end_time={UsageModel.Iso(end)}&workspace_ids={org.WorkspaceA}");

        Assert.Equal(stride, body.GetProperty("stride").GetProperty("days").GetInt32());
        var buckets = body.GetProperty("usage").EnumerateArray().Select(u => DateTimeOffset.Parse(u.GetProperty("time_bucket").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(jan1, buckets[0]);
        Assert.Equal(jan1.AddDays((days - 1) / stride * stride), buckets[^1]);
    }

    [Theory]
    [InlineData("end_time=2026-01-02T00:00:00Z&workspace_ids={ws}", "start_time")]
    [InlineData("start_time=2026-01-01&workspace_ids={ws}", "end_time")]
    [InlineData("start_time=yesterday&end_time=2026-01-02&workspace_ids={ws}", "start_time")]
    [InlineData("start_time=2026-01-01T00:00:00&end_time=2026-01-02&workspace_ids={ws}", "start_time")]
    [InlineData("start_time=2026-01-02&end_time=2026-01-02&workspace_ids={ws}", "end_time")]
    [InlineData("start_time=2026-01-02&end_time=2026-01-01&workspace_ids={ws}", "end_time")]
    [InlineData("start_time=2020-01-01&end_time=2026-01-01&workspace_ids={ws}", "end_time")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02", "workspace_ids")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02&workspace_ids=abc", "workspace_ids")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02&workspace_ids={ws}&kind=metrics", "kind")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02&workspace_ids={ws}&group_by=team", "group_by")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02&workspace_ids={ws}&trace_tier=forever", "trace_tier")]
    [InlineData("start_time=2026-01-01&end_time=2026-01-02&workspace_ids={ws}&kind=langsmith_deployments&group_by=trace_tier", "group_by")]
    public async Task Bad_parameters_are_400_problems_naming_the_parameter(string query, string field)
    {
        var org = await f.NewOrgAsync();
        foreach (var path in new[] { UsagePath, UsagePath + "/export" })
        {
            var response = await UsageClient.GetAsync(f.Http, path + "?" + query.Replace("{ws}", org.WorkspaceA, StringComparison.Ordinal), org.ApiKey);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        }
    }

    [Fact]
    public async Task No_key_or_an_unknown_key_is_401()
    {
        var org = await f.NewOrgAsync();
        var q = $"start_time=2026-01-01&end_time=2026-01-02&workspace_ids={org.WorkspaceA}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.Http.GetAsync(UsagePath + "?" + q)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UsageClient.GetAsync(f.Http, UsagePath + "/export?" + q, "bcn_ak_" + new string('0', 40))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", org.LicenseKey)).StatusCode);
    }

    [Fact]
    public async Task Forbidden_without_organization_read_or_for_any_workspace_the_key_cannot_read()
    {
        var org = await f.NewOrgAsync();
        var other = await f.NewOrgAsync("Other Corp");
        await SubmitAsync(other, Jan1, TimeSpan.FromHours(1), 5, 5, other.WorkspaceA);
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var directory = f.Services.GetRequiredService<DirectoryStore>();
        var (noRead, _) = await credentials.CreateApiKeyAsync(org.OrgId, null, ["something:else"], null);
        var (scoped, _) = await credentials.CreateApiKeyAsync(org.OrgId, null, [ApiKeyRecord.OrganizationRead], [org.WorkspaceA]);
        var onlyA = await directory.CreateUserAsync(org.OrgId, "a@example.com", [org.WorkspaceA]);
        var (userKey, _) = await credentials.CreateApiKeyAsync(org.OrgId, onlyA.UserId, [ApiKeyRecord.OrganizationRead], null);
        string Q(params string[] ws) => $"start_time=2026-01-01&end_time=2026-01-02&{string.Join('&', ws.Select(w => "workspace_ids=" + w))}";

        var texts = new List<string>();
        foreach (var (key, query) in new[]
                 {
                     (noRead, Q(org.WorkspaceA)),
                     (scoped, Q(org.WorkspaceA, org.WorkspaceB)),
                     (userKey, Q(org.WorkspaceB)),
                     (org.ApiKey, Q(org.WorkspaceA, other.WorkspaceA)),
                     (org.ApiKey, Q(Guid.NewGuid().ToString())),
                 })
        {
            var response = await UsageClient.GetAsync(f.Http, UsagePath + "?" + query, key);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            texts.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.All(texts, t => Assert.DoesNotContain("Other Corp", t, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain(other.OrgId, t, StringComparison.Ordinal));
        // Another org's workspace and one that does not exist get the same words.
        Assert.Equal(texts[3].Split("workspace")[0], texts[4].Split("workspace")[0]);
        Assert.Equal(HttpStatusCode.OK, (await UsageClient.GetAsync(f.Http, UsagePath + "?" + Q(org.WorkspaceA), scoped)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UsageClient.GetAsync(f.Http, UsagePath + "?" + Q(org.WorkspaceA), userKey)).StatusCode);
    }

    [Fact]
    public async Task The_workspaces_endpoint_lists_only_what_the_key_can_read()
    {
        var org = await f.NewOrgAsync();
        var (scoped, _) = await f.Services.GetRequiredService<CredentialStore>().CreateApiKeyAsync(org.OrgId, null, [ApiKeyRecord.OrganizationRead], [org.WorkspaceB]);

        var all = await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", org.ApiKey)).Content.ReadFromJsonAsync<JsonElement>();
        var one = await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", scoped)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal([("Default", org.DefaultWorkspace), ("Workspace A", org.WorkspaceA), ("Workspace B", org.WorkspaceB)],
            all.GetProperty("workspaces").EnumerateArray().Select(w => (w.GetProperty("workspace_name").GetString(), w.GetProperty("workspace_id").GetString())));
        Assert.Equal([org.WorkspaceB], one.GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()));
    }

    [Fact]
    public async Task Each_grouping_returns_its_dimensions_with_null_for_unknown_names_and_missing_values()
    {
        var org = await f.NewOrgAsync();
        var project = Guid.NewGuid().ToString();
        var r = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(null, org.ApiKey, Jan1, Jan1.AddHours(1), 2, 3, org.WorkspaceA, project));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        await SubmitAsync(org, Jan1.AddHours(2), TimeSpan.FromHours(1), 5, 7); // a license: no user, no key, no project
        await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, project, 9, Jan1, "longlived")]));
        string Q(string kind, string group) => $"kind={kind}&group_by={group}&start_time=2026-01-01&end_time=2026-01-02&workspace_ids={org.WorkspaceA}";
        async Task<List<string>> Dims(string kind, string group) =>
            [.. (await GetJsonAsync(org, Q(kind, group))).GetProperty("usage").EnumerateArray().Select(u => u.GetProperty("dimensions").GetRawText())];

        Assert.Equal([$"{{\"project_id\":null,\"project_name\":null}}", $"{{\"project_id\":\"{project}\",\"project_name\":null}}"], await Dims("langsmith_deployments", "project"));
        Assert.Equal(["{\"user_id\":null,\"user_email\":null}", $"{{\"user_id\":\"{org.UserId}\",\"user_email\":\"ada@example.com\"}}"], await Dims("langsmith_deployments", "user"));
        Assert.Equal(["{\"api_key_short_key\":null}", $"{{\"api_key_short_key\":\"{org.ApiKeyRecord.ShortKey}\"}}"], await Dims("langsmith_deployments", "api_key"));
        Assert.Equal(["{\"trace_tier\":\"longlived\"}"], await Dims("traces", "trace_tier"));
        var traces = (await GetJsonAsync(org, Q("traces", "workspace"))).GetProperty("usage")[0];
        Assert.Equal(["time_bucket", "dimensions", "traces"], traces.EnumerateObject().Select(p => p.Name));
        Assert.Equal(9, traces.GetProperty("traces").GetInt64());
        // Omitting kind means traces, as existing callers expect.
        Assert.Equal(traces.GetRawText(), (await GetJsonAsync(org, $"start_time=2026-01-01&end_time=2026-01-02&workspace_ids={org.WorkspaceA}")).GetProperty("usage")[0].GetRawText());
    }

    [Fact]
    public async Task Csv_export_has_the_exact_header_neutralizes_formulas_keeps_values_intact_and_matches_the_json_totals()
    {
        var org = await f.NewOrgAsync();
        var directory = f.Services.GetRequiredService<DirectoryStore>();
        const string evilWorkspace = "=HYPERLINK(\"http://x\",\"y\")";
        const string evilProject = "+1, \"q\"\nsecond line";
        await directory.CreateWorkspaceAsync(org.OrgId, org.WorkspaceA, evilWorkspace);
        var project = Guid.NewGuid().ToString();
        await directory.NameProjectAsync(org.OrgId, project, evilProject);
        for (int d = 0; d < 3; d++) await SubmitAsync(org, Jan1.AddDays(d).AddHours(5), TimeSpan.FromHours(2), 10 + d, 100 + d, project: project);
        await SubmitAsync(org, Jan1.AddHours(23), TimeSpan.FromHours(3), 9, 90, org.WorkspaceB);

        async Task<(HttpResponseMessage, byte[])> Export(string group)
        {
            var r = await UsageClient.GetAsync(f.Http, $"{UsagePath}/export?kind=langsmith_deployments&group_by={group}&start_time=2026-01-01&end_time=2026-01-04&workspace_ids={org.WorkspaceA}&workspace_ids={org.WorkspaceB}", org.ApiKey);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return (r, await r.Content.ReadAsByteArrayAsync());
        }

        var (byWs, wsBytes) = await Export("workspace");
        var (_, projectBytes) = await Export("project");

        Assert.Equal("text/csv", byWs.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", byWs.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("beacon_langsmith_deployments_by_workspace_2026-01-01_to_2026-01-03.csv", byWs.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.False(wsBytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "no byte order mark");
        var text = Encoding.UTF8.GetString(wsBytes);
        Assert.StartsWith("Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Nodes Executed,Agent Runs,Agent Uptime (seconds)\r\n", text, StringComparison.Ordinal);

        var wsRows = Parse(wsBytes);
        Assert.Contains(wsRows, r => r["Workspace Name"] == "\t" + evilWorkspace);
        var projectRows = Parse(projectBytes);
        Assert.Contains(projectRows, r => r["Project Name"] == "\t" + evilProject && r["Project ID"] == project);
        Assert.All(projectRows, r => Assert.Equal(("", "", ""), (r["Workspace ID"], r["User ID"], r["API Key Short Key"])));
        Assert.Equal("2026-01-02T00:00:00Z", wsRows[0]["Time Bucket End"]);

        var json = await GetJsonAsync(org, $"kind=langsmith_deployments&group_by=workspace&start_time=2026-01-01&end_time=2026-01-04&workspace_ids={org.WorkspaceA}&workspace_ids={org.WorkspaceB}");
        var usage = json.GetProperty("usage").EnumerateArray().ToList();
        Assert.Equal(usage.Count, wsRows.Count);
        Assert.Equal(usage.Sum(u => u.GetProperty("agent_runs").GetInt64()), wsRows.Sum(r => long.Parse(r["Agent Runs"], CultureInfo.InvariantCulture)));
        Assert.Equal(usage.Sum(u => u.GetProperty("nodes_executed").GetInt64()), wsRows.Sum(r => long.Parse(r["Nodes Executed"], CultureInfo.InvariantCulture)));
        Assert.Equal(usage.Sum(u => u.GetProperty("agent_uptime_seconds").GetInt64()), wsRows.Sum(r => long.Parse(r["Agent Uptime (seconds)"], CultureInfo.InvariantCulture)));
        Assert.Equal(42, wsRows.Sum(r => long.Parse(r["Agent Runs"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Trace_csv_has_the_trace_columns_and_honours_the_tier_filter()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 5, Jan1, "longlived"),
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 7, Jan1, "shortlived"),
        ]));
        var r = await UsageClient.GetAsync(f.Http, $"{UsagePath}/export?group_by=trace_tier&trace_tier=shortlived&start_time=2026-01-01&end_time=2026-01-02&workspace_ids={org.WorkspaceA}", org.ApiKey);
        var rows = Parse(await r.Content.ReadAsByteArrayAsync());

        var row = Assert.Single(rows);
        Assert.Equal(["Time Bucket Start", "Time Bucket End", "Workspace ID", "Workspace Name", "Project ID", "Project Name", "User ID", "User Email", "API Key Short Key", "Trace Tier", "Traces"], row.Keys);
        Assert.Equal(("shortlived", "7"), (row["Trace Tier"], row["Traces"]));
        Assert.Contains("_shortlived_by_trace_tier_", r.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
    }

    internal static List<Dictionary<string, string>> Parse(byte[] csvBytes)
    {
        using var reader = new StringReader(Encoding.UTF8.GetString(csvBytes));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(header.ToDictionary(h => h, h => csv.GetField(h)!));
        return rows;
    }
}
