using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Beacon.Domain.Usage;

/// <summary>
/// A usage window exactly as the current platform client (langgraph-api 0.5.x's metadata loop)
/// serializes it (SPEC §4.4): compact JSON, keys in its order, Python <c>isoformat()</c> timestamps with
/// microseconds and <c>+00:00</c>, every tag including the <c>uses_*</c> ones, the graph gauges among the
/// measures, and the credential last (<c>license_key</c>, or <c>api_key</c> for the control-plane copy).
/// The demo seeder, the benchmark and the tests all speak through this one builder.
/// </summary>
public static class ClientWindowBody
{
    public static string Format(
        DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string tenantId = "", string projectId = "",
        string credentialField = "license_key", string credential = "", int pyGraphs = 3, int jsGraphs = 0,
        string apiVersion = "0.5.23", string host = "self-hosted", string plan = "enterprise")
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("from_timestamp", PythonIso(from));
            w.WriteString("to_timestamp", PythonIso(to));
            w.WriteStartObject("tags");
            w.WriteString("langgraph.python.version", "1.0.3");
            w.WriteString("langgraph_api.version", apiVersion);
            w.WriteString("langgraph.platform.revision", "");
            w.WriteString("langgraph.platform.variant", "");
            w.WriteString(UsageReport.HostTag, host);
            w.WriteString(UsageReport.TenantTag, tenantId);
            w.WriteString(UsageReport.ProjectTag, projectId);
            w.WriteString("langgraph.platform.plan", plan);
            foreach (var userApp in new[] { "uses_indexing", "uses_custom_app", "uses_custom_auth", "uses_thread_ttl", "uses_store_ttl" })
                w.WriteString("user_app." + userApp, "");
            w.WriteString("langgraph.platform.uses_custom_auth", "False");
            w.WriteString("langgraph.platform.uses_js_custom_auth", "False");
            w.WriteString("langgraph.platform.uses_js_proxy_middleware", "False");
            w.WriteEndObject();
            w.WriteStartObject("measures");
            w.WriteNumber(UsageReport.RunsMeasure, runs);
            w.WriteNumber(UsageReport.NodesMeasure, nodes);
            w.WriteNumber("langgraph.platform.py_graphs", pyGraphs);
            w.WriteNumber("langgraph.platform.js_graphs", jsGraphs);
            w.WriteEndObject();
            w.WriteStartArray("logs");
            w.WriteEndArray();
            w.WriteString(credentialField, credential);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Python's <c>datetime.isoformat()</c> of an aware UTC datetime: <c>2026-04-02T08:00:00.654321+00:00</c>.</summary>
    public static string PythonIso(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00:00";
}
