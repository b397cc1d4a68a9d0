using Beacon.Domain.Usage;
using System.Text.Json;

namespace Beacon.Tests;

/// <summary>Request bodies in the real platform client's wire format.</summary>
public static class Payloads
{
    public static string PythonIso(DateTimeOffset t) => ClientWindowBody.PythonIso(t);

    /// <summary>A window byte for byte as the current client sends it (SPEC §4.4): <c>license_key</c> only, or <c>api_key</c> only.</summary>
    public static string CurrentClientWindow(DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string? licenseKey = null, string? apiKey = null, string tenant = "", string project = "", int pyGraphs = 3) =>
        ClientWindowBody.Format(from, to, runs, nodes, tenant, project, licenseKey is not null ? "license_key" : "api_key", licenseKey ?? apiKey!, pyGraphs);

    /// <summary>A usage window as the client sends it: both credential fields, one of them null.</summary>
    public static string Window(
        string? licenseKey, string? apiKey, DateTimeOffset from, DateTimeOffset to, long runs, long nodes,
        string workspaceId = "", string projectId = "", Dictionary<string, object?>? extra = null, object? logs = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["license_key"] = licenseKey,
            ["api_key"] = apiKey,
            ["from_timestamp"] = PythonIso(from),
            ["to_timestamp"] = PythonIso(to),
            ["tags"] = new Dictionary<string, string>
            {
                ["langgraph.python.version"] = "3.11.7",
                ["langgraph_api.version"] = "0.2.0",
                ["langgraph.platform.revision"] = "abc123",
                ["langgraph.platform.variant"] = "licensed",
                ["langgraph.platform.host"] = "self-hosted",
                ["langgraph.platform.tenant_id"] = workspaceId,
                ["langgraph.platform.project_id"] = projectId,
                ["langgraph.platform.plan"] = "enterprise",
                ["user_app.uses_indexing"] = "",
            },
            ["measures"] = new Dictionary<string, object> { ["langgraph.platform.runs"] = runs, ["langgraph.platform.nodes"] = nodes },
            ["logs"] = logs ?? Array.Empty<object>(),
        };
        foreach (var (k, v) in extra ?? []) body[k] = v;
        return JsonSerializer.Serialize(body);
    }

    public static object Transaction(string id, string workspaceId, string projectId, long traces, DateTimeOffset start, string type = "longlived_traces") => new Dictionary<string, object?>
    {
        ["id"] = id,
        ["tenant_id"] = workspaceId,
        ["session_id"] = projectId,
        ["trace_count"] = traces,
        ["start_insertion_time"] = PythonIso(start),
        ["end_insertion_time"] = PythonIso(start.AddMinutes(5)),
        ["start_interval_time"] = PythonIso(start),
        ["end_interval_time"] = PythonIso(start.AddMinutes(5)),
        ["status"] = "pending",
        ["num_failed_send_attempts"] = 0,
        ["transaction_type"] = type,
        ["organization_id"] = Guid.NewGuid().ToString(),
    };

    public static string Traces(string licenseKey, IEnumerable<object> transactions) =>
        JsonSerializer.Serialize(new { license_key = licenseKey, trace_transactions = transactions });
}
