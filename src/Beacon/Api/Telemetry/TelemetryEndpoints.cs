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
        group.MapPost("/metrics", MetricsAsync).WithName("OtlpMetrics").WithSummary("OTLP/HTTP metrics export (protobuf or JSON, optionally gzip).");
        group.MapPost("/logs", LogsAsync).WithName("OtlpLogs").WithSummary("OTLP/HTTP logs export: WARN and above are kept for 7 days.");
        group.MapPost("/traces", TracesAsync).WithName("OtlpTraces").WithSummary("OTLP/HTTP traces export: spans with an error or lasting ≥ 1 s are kept for 7 days.");
        return app;
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> MetricsAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        var (payload, problem) = await OtlpBody.ReadAsync(request, ct);
        if (problem is not null) return problem;
        if (OtlpDecoder.TryParse(payload!, ExportMetricsServiceRequest.Parser) is not { } export) return Undecodable("ExportMetricsServiceRequest");
        var (points, rejected) = OtlpMapping.Metrics(export);
        var license = caller.License;
        await store.WriteMetricsAsync(license.OrgId, license.LicenseId, points, time.GetUtcNow(), ct);
        var response = new ExportMetricsServiceResponse();
        if (rejected > 0) response.PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = rejected, ErrorMessage = "Metrics without a value were not stored." };
        return new OtlpResult(response, payload!.Encoding);
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> LogsAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        var (payload, problem) = await OtlpBody.ReadAsync(request, ct);
        if (problem is not null) return problem;
        if (OtlpDecoder.TryParse(payload!, ExportLogsServiceRequest.Parser) is not { } export) return Undecodable("ExportLogsServiceRequest");
        var now = time.GetUtcNow();
        int rejected = await KeepAsync(store, caller, TelemetryStore.Logs, OtlpMapping.Logs(export), TelemetryPolicy.Keeps, l => l.TimeUnixNano,
            l => (l.TimeUnixNano, l.Instance, System.Text.Json.JsonSerializer.Serialize(new
            {
                severity_number = l.SeverityNumber, severity_text = l.SeverityText, body = TelemetryPolicy.Truncate(l.Body, TelemetryPolicy.MaxBodyChars),
                attributes = l.Attributes, trace_id = l.TraceId, span_id = l.SpanId,
            })), now, ct);
        var response = new ExportLogsServiceResponse();
        if (rejected > 0) response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = rejected, ErrorMessage = $"The daily cap of {TelemetryPolicy.MaxLogsPerDay} log records for this license was reached." };
        return new OtlpResult(response, payload!.Encoding);
    }

    private static async Task<Results<OtlpResult, ProblemHttpResult>> TracesAsync(HttpRequest request, TelemetryCaller caller, TelemetryStore store, TimeProvider time, CancellationToken ct)
    {
        var (payload, problem) = await OtlpBody.ReadAsync(request, ct);
        if (problem is not null) return problem;
        if (OtlpDecoder.TryParse(payload!, ExportTraceServiceRequest.Parser) is not { } export) return Undecodable("ExportTraceServiceRequest");
        var now = time.GetUtcNow();
        int rejected = await KeepAsync(store, caller, TelemetryStore.Spans, OtlpMapping.Spans(export), TelemetryPolicy.Keeps, s => s.StartUnixNano,
            s => (s.StartUnixNano, s.Instance, System.Text.Json.JsonSerializer.Serialize(new
            {
                name = s.Name, trace_id = s.TraceId, span_id = s.SpanId, duration_ms = s.Duration.TotalMilliseconds,
                status_code = s.StatusCode, status_message = s.StatusMessage, attributes = s.Attributes,
            })), now, ct);
        var response = new ExportTraceServiceResponse();
        if (rejected > 0) response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = $"The daily cap of {TelemetryPolicy.MaxSpansPerDay} spans for this license was reached." };
        return new OtlpResult(response, payload!.Encoding);
    }

    /// <summary>
    /// Per UTC day: counts what policy keeps and what it does not, reserves room under the daily cap,
    /// stores the records admitted, and returns how many kept records were over the cap (rejected).
    /// </summary>
    private static async Task<int> KeepAsync<T>(TelemetryStore store, TelemetryCaller caller, string kind, List<T> records, Func<T, bool> keeps,
        Func<T, long> time, Func<T, (long, string, string)> stored, DateTimeOffset now, CancellationToken ct)
    {
        var license = caller.License;
        int rejected = 0;
        foreach (var day in records.GroupBy(r => TelemetryPolicy.DayOf(time(r), now)))
        {
            var kept = day.Where(keeps).ToList();
            int admitted = await store.AdmitAsync(license.OrgId, license.LicenseId, kind, day.Key, kept.Count, day.Count() - kept.Count, ct);
            await store.WriteRecordsAsync(license.OrgId, license.LicenseId, kind, kept.Take(admitted).Select(stored), now, ct);
            rejected += kept.Count - admitted;
        }
        return rejected;
    }

    private static ProblemHttpResult Undecodable(string message) =>
        Problems.InvalidBody($"The body is not a complete {message} in the declared encoding.");
}
