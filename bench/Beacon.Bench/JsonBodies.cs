namespace Beacon.Bench;

/// <summary>The platform client's wire format.</summary>
internal static class JsonBodies
{
    public static string Window(string license, DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string ws, string project) =>
        $$"""{"license_key":"{{license}}","api_key":null,"from_timestamp":"{{Iso(from)}}","to_timestamp":"{{Iso(to)}}","tags":{"langgraph.python.version":"3.11.7","langgraph_api.version":"0.2.0","langgraph.platform.host":"self-hosted","langgraph.platform.tenant_id":"{{ws}}","langgraph.platform.project_id":"{{project}}","langgraph.platform.plan":"enterprise"},"measures":{"langgraph.platform.runs":{{runs}},"langgraph.platform.nodes":{{nodes}}},"logs":[]}""";

    public static string Traces(string license, IEnumerable<(string Id, string Ws, string Session, int Count, DateTimeOffset Start)> transactions) =>
        $$"""{"license_key":"{{license}}","trace_transactions":[{{string.Join(',', transactions.Select(t =>
            $$"""{"id":"{{t.Id}}","tenant_id":"{{t.Ws}}","session_id":"{{t.Session}}","trace_count":{{t.Count}},"start_interval_time":"{{Iso(t.Start)}}","end_interval_time":"{{Iso(t.Start.AddMinutes(5))}}","transaction_type":"longlived_traces","status":"pending","num_failed_send_attempts":0}"""))}}]}""";

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", System.Globalization.CultureInfo.InvariantCulture);
}
