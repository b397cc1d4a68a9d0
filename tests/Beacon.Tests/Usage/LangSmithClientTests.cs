using System.Net;
using System.Text.Json;

namespace Beacon.Tests.Usage;

/// <summary>
/// A client written for LangSmith's API, as the public billing-report scripts are: it asks for its
/// organization, then its workspaces, then granular usage per workspace — and must get the same
/// totals as one granular query over every workspace (and as the brute-force model).
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class LangSmithClientTests(NoFleetWriterFixture f)
{
    private async Task<JsonElement> GetAsync(string path, string apiKey, string? organization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", apiKey);
        if (organization is not null) request.Headers.Add("X-Organization-Id", organization);
        var response = await f.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Org_then_workspaces_then_usage_per_workspace_gives_the_totals_of_the_granular_api()
    {
        var data = await UsageDataset.CreateAsync(f, 4242);
        var key = data.ReaderKey;

        var org = await GetAsync("/api/v1/orgs/current", key);
        Assert.Equal(data.Org.OrgId, org.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(org.GetProperty("display_name").GetString()));
        // The moment the org was created, not the midnight before it.
        var created = org.GetProperty("created_at").GetDateTimeOffset();
        Assert.InRange(created, f.Clock.GetUtcNow().AddMinutes(-10), f.Clock.GetUtcNow());
        var workspaces = (await GetAsync("/api/v1/workspaces", key, org.GetProperty("id").GetString())).EnumerateArray().ToList();
        Assert.Equal(data.Workspaces.Order(), workspaces.Select(w => w.GetProperty("id").GetString()!).Order());
        Assert.All(workspaces, w => Assert.Equal(data.Org.OrgId, w.GetProperty("organization_id").GetString()));
        Assert.All(workspaces, w => Assert.False(string.IsNullOrEmpty(w.GetProperty("display_name").GetString())));

        const string start = "2026-01-01T00:00:00+00:00", end = "2026-03-01T00:00:00+00:00";
        foreach (var (kind, metric) in new[] { ("traces", "traces"), ("langsmith_deployments", "agent_runs"), ("langsmith_deployments", "nodes_executed"), ("langsmith_deployments", "agent_uptime_seconds") })
        {
            foreach (var group in new[] { "workspace", "project" })
            {
                long perWorkspace = 0;
                foreach (var w in workspaces)
                {
                    var answer = await GetAsync($"/api/v1/orgs/current/billing/granular-usage?kind={kind}&group_by={group}&start_time={Uri.EscapeDataString(start)}&end_time={Uri.EscapeDataString(end)}&workspace_ids={w.GetProperty("id").GetString()}", key, data.Org.OrgId);
                    perWorkspace += answer.GetProperty("usage").EnumerateArray().Sum(r => r.GetProperty(metric).GetInt64());
                }
                var all = await GetAsync("/api/v1/orgs/current/billing/granular-usage?" + UsageClient.QueryString(kind, group, null, start, end, data.Workspaces), key);
                long together = all.GetProperty("usage").EnumerateArray().Sum(r => r.GetProperty(metric).GetInt64());
                var model = data.Model.Answer(kind, group, null, DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), data.Workspaces.ToHashSet());
                long expected = metric switch
                {
                    "traces" => model.Sum(r => r.Traces),
                    "agent_runs" => model.Sum(r => r.Runs),
                    "nodes_executed" => model.Sum(r => r.Nodes),
                    _ => model.Sum(r => r.Uptime),
                };
                if (metric != "agent_uptime_seconds") Assert.Equal(expected, together); // uptime rounds per record
                Assert.Equal(together, perWorkspace);
                Assert.True(expected > 0, $"{kind}/{metric}: the dataset must have usage");
            }
        }
    }

    [Fact]
    public async Task An_organization_header_naming_another_org_is_forbidden_on_every_customer_endpoint()
    {
        var org = await f.NewOrgAsync();
        var other = await f.NewOrgAsync();
        var query = UsageClient.QueryString("traces", "workspace", null, "2026-01-01", "2026-01-02", [org.WorkspaceA]);
        foreach (var path in new[] { "/api/v1/orgs/current", "/api/v1/workspaces", "/api/v1/orgs/current/workspaces", "/api/v1/orgs/current/billing/granular-usage?" + query, "/api/v1/orgs/current/billing/granular-usage/export?" + query })
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
            wrong.Headers.Add("X-Api-Key", org.ApiKey);
            wrong.Headers.Add("X-Organization-Id", other.OrgId);
            var refused = await f.Http.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain(other.OrgId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var right = new HttpRequestMessage(HttpMethod.Get, path);
            right.Headers.Add("X-Api-Key", org.ApiKey);
            right.Headers.Add("X-Organization-Id", org.OrgId.ToUpperInvariant());
            Assert.Equal(HttpStatusCode.OK, (await f.Http.SendAsync(right)).StatusCode);
        }
    }
}
