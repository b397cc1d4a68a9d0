using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Beacon.Otlp.Collector.Metrics;
using Beacon.Otlp.Collector.Trace;
using Beacon.Storage.Stores;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace Beacon.Tests.Telemetry;

/// <summary>
/// The OTLP/HTTP receivers (SPEC §4.7) fed by the real OpenTelemetry .NET SDK and its OTLP exporter, as a
/// self-hosted install sends its operational telemetry; and the limits a hostile body meets.
/// </summary>
[Collection(CalendarCollection.Name)]
public sealed class OtlpReceiverTests(NoFleetWriterFixture f)
{
    private TelemetryStore Store => f.Services.GetRequiredService<TelemetryStore>();

    private void Exporter(OtlpExporterOptions o, string signal, string key)
    {
        o.Endpoint = new Uri(f.Http.BaseAddress!, $"/v1/beacon/v1/{signal}");
        o.Protocol = OtlpExportProtocol.HttpProtobuf;
        o.Headers = $"X-Langchain-License-Key={key}";
    }

    [Fact]
    public async Task The_otlp_exporter_delivers_gauges_a_counter_and_a_histogram_and_the_latest_values_are_stored()
    {
        var org = await f.NewOrgAsync();
        using var meter = new Meter("lg_api_" + Guid.NewGuid().ToString("N"));
        var pod = new KeyValuePair<string, object?>("instance_id", "langgraph-api-7d9f-abc");
        meter.CreateObservableGauge("lg_api_num_pending_runs", () => new Measurement<long>(4, pod, new("customer_id", "c-1")));
        meter.CreateObservableGauge("lg_api_pending_runs_wait_time_max", () => new Measurement<double>(1.25, pod), unit: "s");
        var requests = meter.CreateCounter<long>("lg_api_http_requests_total");
        var latency = meter.CreateHistogram<double>("lg_api_http_requests_latency_seconds", unit: "s");
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name)
            .AddOtlpExporter((o, reader) =>
            {
                Exporter(o, "metrics", org.LicenseKey);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        // Measurements count only once a provider listens.
        requests.Add(3, pod, new("route", "/runs"));
        requests.Add(2, pod, new("route", "/runs"));
        latency.Record(0.2, pod);
        latency.Record(0.7, pod);
        Assert.True(provider.ForceFlush(20_000), "the exporter reported a failed export");

        var latest = (await Store.LatestAsync(org.LicenseId)).ToDictionary(m => m.Name);
        var pending = latest["lg_api_num_pending_runs"];
        Assert.Equal(("gauge", "4", "langgraph-api-7d9f-abc"), (pending.Kind, pending.Value, pending.Instance));
        Assert.Equal("c-1", pending.Attributes["customer_id"]);
        Assert.Equal(("1.25", "s"), (latest["lg_api_pending_runs_wait_time_max"].Value, latest["lg_api_pending_runs_wait_time_max"].Unit));
        Assert.Equal(("sum", "5"), (latest["lg_api_http_requests_total"].Kind, latest["lg_api_http_requests_total"].Value));
        var histogram = JsonDocument.Parse(latest["lg_api_http_requests_latency_seconds"].Value).RootElement;
        Assert.Equal((2UL, 0.9), (histogram.GetProperty("Count").GetUInt64(), Math.Round(histogram.GetProperty("Sum").GetDouble(), 6)));
        // And the 5-minute series has the same points for today.
        Assert.Equal(4, (await Store.SeriesAsync(org.LicenseId, DateOnly.FromDateTime(DateTime.UtcNow))).Count);
    }

    [Fact]
    public async Task Warn_and_error_logs_are_kept_and_info_is_only_counted()
    {
        var org = await f.NewOrgAsync();
        var loggerFactory = LoggerFactory.Create(b => b.AddOpenTelemetry(o => o.AddOtlpExporter(e => Exporter(e, "logs", org.LicenseKey))));
        var logger = loggerFactory.CreateLogger("langgraph_api.worker");
        logger.LogInformation("Worker started");
        logger.LogWarning("Run queue is {Length} deep", 250);
        logger.LogError("Worker {Worker} crashed", "w-3");
        loggerFactory.Dispose(); // flushes the batch

        var records = await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, DateTimeOffset.UtcNow);
        var bodies = records.Select(r => JsonDocument.Parse(r.Detail).RootElement.GetProperty("body").GetString()).ToList();
        Assert.Equal(2, records.Count);
        Assert.Contains(bodies, b => b!.Contains("Run queue is", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b!.Contains("crashed", StringComparison.Ordinal));
        Assert.DoesNotContain(bodies, b => b!.Contains("Worker started", StringComparison.Ordinal));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var counts = await Store.CountsAsync(org.LicenseId, today, today);
        Assert.Equal((2L, 1L, 0L), (counts.LogsKept, counts.LogsBelowWarn, counts.LogsDropped));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_the_exporter_reports_the_failure()
    {
        var org = await f.NewOrgAsync();
        using var meter = new Meter("lg_api_" + Guid.NewGuid().ToString("N"));
        meter.CreateObservableGauge("lg_api_workers_active", () => 2);
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meter.Name)
            .AddOtlpExporter((o, reader) =>
            {
                Exporter(o, "metrics", org.LicenseKey[..^1] + (org.LicenseKey[^1] == 'x' ? 'y' : 'x'));
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            })
            .Build();
        Assert.False(provider.ForceFlush(20_000));
        Assert.Empty(await Store.LatestAsync(org.LicenseId));

        var response = await PostAsync(Encoding.UTF8.GetBytes("{}"), "application/json", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, string? licenseKey, string signal = "metrics", bool gzip = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/beacon/v1/{signal}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (gzip) request.Content.Headers.ContentEncoding.Add("gzip");
        if (licenseKey is not null) request.Headers.Add("X-Langchain-License-Key", licenseKey);
        return await f.Http.SendAsync(request);
    }

    private static ExportMetricsServiceRequest Gauge(string name, double value, string instance = "pod-1") => new()
    {
        ResourceMetrics =
        {
            new Otlp.Metrics.ResourceMetrics
            {
                ScopeMetrics =
                {
                    new Otlp.Metrics.ScopeMetrics
                    {
                        Metrics =
                        {
                            new Otlp.Metrics.Metric
                            {
                                Name = name,
                                Gauge = new Otlp.Metrics.Gauge
                                {
                                    DataPoints =
                                    {
                                        new Otlp.Metrics.NumberDataPoint
                                        {
                                            AsDouble = value, TimeUnixNano = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
                                            Attributes = { new Otlp.Common.KeyValue { Key = "instance_id", Value = new Otlp.Common.AnyValue { StringValue = instance } } },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    };

    [Fact]
    public async Task A_gzip_bomb_is_stopped_at_16_mebibytes_with_413_and_nothing_stored()
    {
        var org = await f.NewOrgAsync();
        // A valid export followed by 17 MiB of zeros: deflate's ratio is at most about 1032:1, so this is
        // the smallest body that expands past 16 MiB (~17 KiB on the wire).
        var valid = Gauge("lg_api_num_running_runs", 3).ToByteArray();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            await gzip.WriteAsync(valid);
            var zeros = new byte[1024 * 1024];
            for (int i = 0; i < 17; i++) await gzip.WriteAsync(zeros);
        }
        Assert.True(compressed.Length < 32 * 1024, $"{compressed.Length} bytes on the wire");

        var response = await PostAsync(compressed.ToArray(), "application/x-protobuf", org.LicenseKey, gzip: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await Store.LatestAsync(org.LicenseId));
        // The same export without the padding, gzipped, is accepted.
        using var small = new MemoryStream();
        await using (var gzip = new GZipStream(small, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(valid);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(small.ToArray(), "application/x-protobuf", org.LicenseKey, gzip: true)).StatusCode);
        Assert.Single(await Store.LatestAsync(org.LicenseId));
    }

    [Fact]
    public async Task A_truncated_protobuf_is_400_and_a_body_over_4_mebibytes_on_the_wire_is_413()
    {
        var org = await f.NewOrgAsync();
        var bytes = Gauge("lg_api_workers_max", 8).ToByteArray();
        var truncated = await PostAsync(bytes[..(bytes.Length - 7)], "application/x-protobuf", org.LicenseKey);
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(new byte[4 * 1024 * 1024 + 1], "application/x-protobuf", org.LicenseKey)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostAsync(bytes, "text/plain", org.LicenseKey)).StatusCode);
        Assert.Empty(await Store.LatestAsync(org.LicenseId));
    }

    [Fact]
    public async Task Otlp_json_is_accepted_with_hex_ids_and_answered_in_json()
    {
        var org = await f.NewOrgAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var metrics = $$$"""{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"pod-json"}}]},"scopeMetrics":[{"metrics":[{"name":"lg_api_workers_available","gauge":{"dataPoints":[{"asInt":"6","timeUnixNano":"{{{now}}}"}]}}]}]}]}""";
        var response = await PostAsync(Encoding.UTF8.GetBytes(metrics), "application/json", org.LicenseKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{ }", (await response.Content.ReadAsStringAsync()).Replace("{}", "{ }", StringComparison.Ordinal));
        var gauge = Assert.Single(await Store.LatestAsync(org.LicenseId));
        Assert.Equal(("6", "pod-json"), (gauge.Value, gauge.Instance));

        var logs = $$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{now}}","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"redis pool exhausted"},"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}""";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Encoding.UTF8.GetBytes(logs), "application/json", org.LicenseKey, "logs")).StatusCode);
        var log = JsonDocument.Parse(Assert.Single(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, DateTimeOffset.UtcNow)).Detail).RootElement;
        Assert.Equal(("redis pool exhausted", "5b8efff798038103d269b633813fc60c"), (log.GetProperty("body").GetString(), log.GetProperty("trace_id").GetString()));
    }

    [Fact]
    public async Task Failed_and_slow_spans_are_kept_and_past_the_daily_cap_spans_are_answered_as_rejected()
    {
        var org = await f.NewOrgAsync();
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        Otlp.Trace.Span Span(string name, long nanos, int status) => new()
        {
            Name = name, TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()), SpanId = ByteString.CopyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }),
            StartTimeUnixNano = (ulong)start, EndTimeUnixNano = (ulong)(start + nanos), Status = new Otlp.Trace.Status { Code = status },
        };
        var export = new ExportTraceServiceRequest { ResourceSpans = { new Otlp.Trace.ResourceSpans { ScopeSpans = { new Otlp.Trace.ScopeSpans { Spans =
        {
            Span("fast ok", 5_000_000, 1), Span("slow", 1_500_000_000, 0), Span("failed", 2_000_000, 2),
        } } } } } };
        var first = await PostAsync(export.ToByteArray(), "application/x-protobuf", org.LicenseKey, "traces");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(0, ExportTraceServiceResponse.Parser.ParseFrom(await first.Content.ReadAsByteArrayAsync()).PartialSuccess?.RejectedSpans ?? 0);
        var kept = await Store.RecordsAsync(org.LicenseId, TelemetryStore.Spans, DateTimeOffset.UtcNow);
        Assert.Equal(["failed", "slow"], kept.Select(k => JsonDocument.Parse(k.Detail).RootElement.GetProperty("name").GetString()).Order());

        // Fill the day's cap (10,000 spans) and go 3 past it.
        var many = new ExportTraceServiceRequest { ResourceSpans = { new Otlp.Trace.ResourceSpans { ScopeSpans = { new Otlp.Trace.ScopeSpans() } } } };
        many.ResourceSpans[0].ScopeSpans[0].Spans.AddRange(Enumerable.Range(0, 10_001).Select(i => Span($"failed {i}", 1_000 + i, 2)));
        var over = await PostAsync(many.ToByteArray(), "application/x-protobuf", org.LicenseKey, "traces");
        var partial = ExportTraceServiceResponse.Parser.ParseFrom(await over.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(3, partial.RejectedSpans);
        Assert.Contains("cap", partial.ErrorMessage, StringComparison.Ordinal);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var counts = await Store.CountsAsync(org.LicenseId, today, today);
        Assert.Equal((10_000L, 3L, 1L), (counts.SpansKept, counts.SpansDropped, counts.SpansNotSlowOrFailed));
    }

    [Fact]
    public async Task Retention_deletes_series_older_than_14_days_records_older_than_7_and_series_not_seen_for_14_and_intake_refuses_what_is_already_past_it()
    {
        var org = await f.NewOrgAsync();
        var now = DateTimeOffset.UtcNow;
        string Log(DateTimeOffset at, string body) =>
            $$$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{{at.ToUnixTimeMilliseconds() * 1_000_000}}}","severityNumber":13,"body":{"stringValue":"{{{body}}}"}}]}]}]}""";
        ExportMetricsServiceRequest At(DateTimeOffset at, string name)
        {
            var g = Gauge(name, 1);
            g.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Gauge.DataPoints[0].TimeUnixNano = (ulong)at.ToUnixTimeMilliseconds() * 1_000_000;
            return g;
        }
        // Intake refuses what is already past retention (SPEC §15), so old data arrives while the clock says it was new.
        var refused = await PostAsync(Encoding.UTF8.GetBytes(Log(now.AddDays(-8), "eight days old, sent today")), "application/json", org.LicenseKey, "logs");
        Assert.Contains("older than the 7-day retention", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        f.Clock.Shift(TimeSpan.FromDays(-8));
        await PostAsync(Encoding.UTF8.GetBytes(Log(now.AddDays(-8), "eight days old")), "application/json", org.LicenseKey, "logs");
        f.Clock.Reset();
        await PostAsync(Encoding.UTF8.GetBytes(Log(now.AddDays(-6), "six days old")), "application/json", org.LicenseKey, "logs");
        f.Clock.Shift(TimeSpan.FromDays(-15)); // a series last seen 15 days ago
        await PostAsync(At(now.AddDays(-15), "lg_api_gone").ToByteArray(), "application/x-protobuf", org.LicenseKey);
        f.Clock.Reset();
        await PostAsync(At(now.AddDays(-13), "lg_api_recent").ToByteArray(), "application/x-protobuf", org.LicenseKey);

        Assert.True(await Store.PurgeAsync(now) >= 3);

        Assert.Equal(["six days old"], (await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, now, 100)).Select(r => JsonDocument.Parse(r.Detail).RootElement.GetProperty("body").GetString()));
        Assert.Empty(await Store.SeriesAsync(org.LicenseId, DateOnly.FromDateTime(now.AddDays(-15).UtcDateTime)));
        Assert.Single(await Store.SeriesAsync(org.LicenseId, DateOnly.FromDateTime(now.AddDays(-13).UtcDateTime)));
        Assert.Equal(["lg_api_recent"], (await Store.LatestAsync(org.LicenseId)).Select(m => m.Name));
    }
}
