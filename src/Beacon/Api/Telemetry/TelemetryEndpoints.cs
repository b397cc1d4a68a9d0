using Beacon.Api.Http;
using Beacon.Domain.Telemetry;
using Beacon.Otlp.Collector.Logs;
using Beacon.Otlp.Collector.Metrics;
using Beacon.Otlp.Collector.Trace;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Telemetry;

/// <summary>
/// OTLP/HTTP receivers for installs' operational telemetry (SPEC §4.7): <c>POST /v1/beacon/v1/metrics</c>,
/// <c>/logs</c> and <c>/traces</c>, as the standard exporters send them. What policy keeps is stored for
/// the vendor only; records over a license's daily cap are answered as rejected in
/// <c>partial_success</c>, never silently lost.
/// </summary>
internal static class TelemetryEndpoints
{
    public static IEndpointRouteBuilder MapTelemetryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/beacon/v1").WithTags("Telemetry").RequireLicenseHeader();
        group.MapPost("/metrics", MetricsAsync).WithName("OtlpMetrics").WithSummary("OTLP/HTTP metrics export (protobuf or JSON, optionally gzip).")
            .DescribesBody("An OTLP/HTTP metrics export request (opentelemetry-proto), protobuf or its JSON mapping, optionally gzip.", "application/x-protobuf", "application/json");
        group.MapPost("/logs", LogsAsync).WithName("OtlpLogs").WithSummary("OTLP/HTTP logs export: WARN and above are kept for 7 days.")
            .DescribesBody("An OTLP/HTTP logs export request (opentelemetry-proto), protobuf or its JSON mapping, optionally gzip.", "application/x-protobuf", "application/json");
        group.MapPost("/traces", TracesAsync).WithName("OtlpTraces").WithSummary("OTLP/HTTP traces export: spans with an error or lasting ≥ 1 s are kept for 7 days.")
            .DescribesBody("An OTLP/HTTP traces export request (opentelemetry-proto), protobuf or its JSON mapping, optionally gzip.", "application/x-protobuf", "application/json");
        return app;
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> MetricsAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        if (!(await OtlpBody.ReadAsync(request, ct)).TryGet(out var payload, out var problem)) return problem;
        if (OtlpDecoder.TryParse(payload, ExportMetricsServiceRequest.Parser) is not { } export) return Undecodable("ExportMetricsServiceRequest");
        var drops = new OtlpDrops();
        var points = OtlpMapping.Metrics(export, time.GetUtcNow(), drops);
        var license = caller.License;
        var refused = points.Count == 0 ? new HashSet<string>() : await store.AdmitSeriesAsync(license.LicenseId, [.. points.Select(p => p.SeriesKey).Distinct()], time.GetUtcNow(), ct);
        if (refused.Count > 0)
        {
            drops.Add($"points of new series past the license's {TelemetryPolicy.MaxSeriesPerLicense:N0}-series cap", points.Count(p => refused.Contains(p.SeriesKey)));
            points = [.. points.Where(p => !refused.Contains(p.SeriesKey))];
        }
        await store.WriteMetricsAsync(license.OrgId, license.LicenseId, points, time.GetUtcNow(), ct);
        var response = new ExportMetricsServiceResponse();
        if (drops.Count > 0) response.PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = drops.Count, ErrorMessage = "Not stored: " + drops.Message + "." };
        return new OtlpResult(response, payload.Encoding);
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> LogsAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        if (!(await OtlpBody.ReadAsync(request, ct)).TryGet(out var payload, out var problem)) return problem;
        if (OtlpDecoder.TryParse(payload, ExportLogsServiceRequest.Parser) is not { } export) return Undecodable("ExportLogsServiceRequest");
        var now = time.GetUtcNow();
        var drops = new OtlpDrops();
        await KeepAsync(store, caller, TelemetryStore.Logs, OtlpMapping.Logs(export, now, drops), TelemetryPolicy.Keeps, l => l.TimeUnixNano,
            l => new TelemetryRecord(l.TimeUnixNano, l.Instance, StoredDetail.Of(l.Attributes, attributes => new StoredLogDetail(l.SeverityNumber, l.SeverityText, l.Body, attributes, l.TraceId, l.SpanId),
                TelemetryJson.Default.StoredLogDetail)), now, drops, "log records", ct);
        var response = new ExportLogsServiceResponse();
        if (drops.Count > 0) response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = drops.Count, ErrorMessage = "Not stored: " + drops.Message + "." };
        return new OtlpResult(response, payload.Encoding);
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> TracesAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        if (!(await OtlpBody.ReadAsync(request, ct)).TryGet(out var payload, out var problem)) return problem;
        if (OtlpDecoder.TryParse(payload, ExportTraceServiceRequest.Parser) is not { } export) return Undecodable("ExportTraceServiceRequest");
        var now = time.GetUtcNow();
        var drops = new OtlpDrops();
        await KeepAsync(store, caller, TelemetryStore.Spans, OtlpMapping.Spans(export, now, drops), TelemetryPolicy.Keeps, s => s.StartUnixNano,
            s => new TelemetryRecord(s.StartUnixNano, s.Instance, StoredDetail.Of(s.Attributes, attributes => new StoredSpanDetail(s.Name, s.TraceId, s.SpanId, s.Duration.TotalMilliseconds, s.StatusCode, s.StatusMessage, attributes),
                TelemetryJson.Default.StoredSpanDetail)), now, drops, "spans", ct);
        var response = new ExportTraceServiceResponse();
        if (drops.Count > 0) response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = drops.Count, ErrorMessage = "Not stored: " + drops.Message + "." };
        return new OtlpResult(response, payload.Encoding);
    }

    /// <summary>
    /// Per UTC day: drops records repeated within the export (they would be one row), counts what policy
    /// keeps and what it does not, reserves room under the daily cap, and stores the records admitted. Kept
    /// records over the cap go to <paramref name="drops"/>. The export is stored whole or not at all: when a
    /// write fails, the rows it already created (on other days, in other batches) are deleted and every
    /// reservation is given back before the fault is answered (503). Rows that were already there (the same
    /// records sent before) are not counted again, so the cap counts each stored record once.
    /// </summary>
    private static async Task KeepAsync<T>(TelemetryStore store, TelemetryCaller caller, string kind, List<T> records, Func<T, bool> keeps,
        Func<T, long> time, Func<T, TelemetryRecord> stored, DateTimeOffset now, OtlpDrops drops, string what, CancellationToken ct)
    {
        var license = caller.License;
        var created = new List<(string, string)>();
        var reserved = new List<(DateOnly Day, int Kept, int OverCap, int NotKept)>();
        try
        {
            foreach (var day in records.GroupBy(r => TelemetryPolicy.DayOf(time(r), now)))
            {
                var kept = new List<TelemetryRecord>();
                var seen = new HashSet<TelemetryRecord>();
                int notKept = 0;
                foreach (var record in day)
                {
                    if (!keeps(record))
                    {
                        notKept++;
                        continue;
                    }
                    var row = stored(record);
                    if (seen.Add(row)) kept.Add(row);
                    else drops.Add($"{what} repeated in this export");
                }
                int admitted = await store.AdmitAsync(license.OrgId, license.LicenseId, kind, day.Key, kept.Count, notKept, ct);
                reserved.Add((day.Key, admitted, kept.Count - admitted, notKept));
                int added = await store.WriteRecordsAsync(license.OrgId, license.LicenseId, kind, kept.Take(admitted), now, created, ct);
                if (added < admitted)
                {
                    // Records stored by an earlier export: there already, and counted then.
                    await store.ReleaseAsync(license.LicenseId, kind, day.Key, admitted - added, 0, 0, ct);
                    reserved[^1] = (day.Key, added, kept.Count - admitted, notKept);
                }
                if (kept.Count > admitted)
                    drops.Add($"{what} over the daily cap of {(kind == TelemetryStore.Logs ? TelemetryPolicy.MaxLogsPerDay : TelemetryPolicy.MaxSpansPerDay)} for this license", kept.Count - admitted);
            }
        }
        catch
        {
            try
            {
                // Whatever the request's own cancellation: take back what this export stored and reserved.
                await store.DeleteRecordsAsync(created, CancellationToken.None);
                foreach (var (day, kept, overCap, notKept) in reserved)
                    await store.ReleaseAsync(license.LicenseId, kind, day, kept, overCap, notKept, CancellationToken.None);
            }
            catch (Exception e) when (Storage.Account.StorageFaults.IsTransient(e))
            {
                // Storage failed here too: the rows left are found as already there when the install sends the
                // export again (after the 503), and are not counted twice.
            }
            throw;
        }
    }

    private static ProblemHttpResult Undecodable(string message) =>
        Problems.InvalidBody($"The body is not a complete {message} in the declared encoding.");
}
