using Beacon.Domain.Usage;

namespace Beacon.Bench;

/// <summary>The platform client's wire format.</summary>
internal static class JsonBodies
{
    public static string Window(string license, DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string ws, string project) =>
        ClientWindowBody.Format(from, to, runs, nodes, ws, project, credential: license);

    public static string Traces(string license, IEnumerable<(string Id, string Ws, string Session, int Count, DateTimeOffset Start)> transactions) =>
        $$"""{"license_key":"{{license}}","trace_transactions":[{{string.Join(',', transactions.Select(t =>
            $$"""{"id":"{{t.Id}}","tenant_id":"{{t.Ws}}","session_id":"{{t.Session}}","trace_count":{{t.Count}},"start_interval_time":"{{Iso(t.Start)}}","end_interval_time":"{{Iso(t.Start.AddMinutes(5))}}","transaction_type":"longlived_traces","status":"pending","num_failed_send_attempts":0}"""))}}]}""";

    private static string Iso(DateTimeOffset t) => ClientWindowBody.PythonIso(t);
}
