using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Beacon.Tests.Usage;

/// <summary>Calls the granular usage API and reads its answer into the model's row shape.</summary>
public static class UsageClient
{
    public static string QueryString(string kind, string groupBy, string? tier, string start, string end, IEnumerable<string> workspaces, bool commaSeparated = false)
    {
        var ps = new List<string> { $"start_time={Uri.EscapeDataString(start)}", $"end_time={Uri.EscapeDataString(end)}", $"kind={kind}", $"group_by={groupBy}" };
        if (tier is not null) ps.Add($"trace_tier={tier}");
        ps.AddRange(commaSeparated ? [$"workspace_ids={string.Join(',', workspaces)}"] : workspaces.Select(w => $"workspace_ids={w}"));
        return string.Join('&', ps);
    }

    public static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", apiKey);
        return await http.SendAsync(request);
    }

    public static async Task<(JsonElement Stride, List<UsageModel.Row> Rows)> QueryAsync(HttpClient http, string apiKey, string query, string groupBy)
    {
        var response = await GetAsync(http, "/api/v1/orgs/current/billing/granular-usage?" + query, apiKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        var rows = body.GetProperty("usage").EnumerateArray().Select(r => ToRow(r, groupBy)).ToList();
        return (body.GetProperty("stride").Clone(), rows);
    }

    public static UsageModel.Row ToRow(JsonElement r, string groupBy)
    {
        var d = r.GetProperty("dimensions");
        string? S(string name) => d.GetProperty(name).ValueKind == JsonValueKind.Null ? null : d.GetProperty(name).GetString();
        var (id, name) = groupBy switch
        {
            "workspace" => (S("workspace_id"), S("workspace_name")),
            "project" => (S("project_id"), S("project_name")),
            "user" => (S("user_id"), S("user_email")),
            "api_key" => (S("api_key_short_key"), null),
            "license" => (S("license_id"), null),
            _ => (S("trace_tier"), null),
        };
        Assert.Equal(groupBy is "api_key" or "trace_tier" or "license" ? 1 : 2, d.EnumerateObject().Count());
        long N(string p) => r.TryGetProperty(p, out var v) ? v.GetInt64() : 0;
        return new UsageModel.Row(DateTimeOffset.Parse(r.GetProperty("time_bucket").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            id, name, N("traces"), N("nodes_executed"), N("agent_runs"), N("agent_uptime_seconds"), N("standby_minutes"));
    }
}
