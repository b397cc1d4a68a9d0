using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Telemetry;
using Beacon.Otlp.Collector.Logs;
using Beacon.Otlp.Collector.Metrics;
using Beacon.Otlp.Collector.Trace;
using Beacon.Otlp.Common;
using Beacon.Storage.Stores;
using Beacon.Tests.Vendor;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Fault = Beacon.Testing.FaultInjectingTransport.Fault;

namespace Beacon.Tests.Telemetry;

/// <summary>
/// OTLP intake against exports an install sends by bug or on purpose (SPEC §15): each case here answered
/// 500, stored part of an export, or hid what it dropped. Now every export is bounded, answered 200 with
/// what was dropped named in <c>partial_success</c>, or refused whole; the operator view keeps working.
/// </summary>
[Collection(CalendarCollection.Name)]
public sealed class HostileTelemetryTests(NoFleetWriterFixture f) : IDisposable
{
    private TelemetryStore Store => f.Services.GetRequiredService<TelemetryStore>();

    public void Dispose() => f.Faults.Set(null);

    private long NowNanos => f.Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType, string licenseKey, string signal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/beacon/v1/{signal}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Langchain-License-Key", licenseKey);
        return await f.Http.SendAsync(request);
    }

    private static ExportLogsServiceRequest Logs(params Otlp.Logs.LogRecord[] records)
    {
        var export = new ExportLogsServiceRequest { ResourceLogs = { new Otlp.Logs.ResourceLogs { ScopeLogs = { new Otlp.Logs.ScopeLogs() } } } };
        export.ResourceLogs[0].ScopeLogs[0].LogRecords.AddRange(records);
        return export;
    }

    private Otlp.Logs.LogRecord Warn(string body, long? nanos = null) =>
        new() { TimeUnixNano = (ulong)(nanos ?? NowNanos), SeverityNumber = 13, Body = new AnyValue { StringValue = body } };

    private static ExportMetricsServiceRequest Metrics(params Otlp.Metrics.Metric[] metrics)
    {
        var export = new ExportMetricsServiceRequest { ResourceMetrics = { new Otlp.Metrics.ResourceMetrics { ScopeMetrics = { new Otlp.Metrics.ScopeMetrics() } } } };
        export.ResourceMetrics[0].ScopeMetrics[0].Metrics.AddRange(metrics);
        return export;
    }

    private Otlp.Metrics.Metric Gauge(string name, double value, params KeyValue[] attributes)
    {
        var point = new Otlp.Metrics.NumberDataPoint { AsDouble = value, TimeUnixNano = (ulong)NowNanos };
        point.Attributes.AddRange(attributes);
        return new Otlp.Metrics.Metric { Name = name, Gauge = new Otlp.Metrics.Gauge { DataPoints = { point } } };
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private async Task<JsonElement> OperatorTelemetryAsync(string licenseId)
    {
        var key = await Operators.NewKeyAsync(f, "ops-telemetry");
        var response = await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/telemetry?license_id={licenseId}", key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [InlineData(26)]
    [InlineData(45)]
    public async Task A_deeply_nested_body_is_stored_cut_at_8_levels_and_marked(int levels)
    {
        var org = await f.NewOrgAsync();
        var body = new AnyValue { StringValue = "core" };
        for (int i = 0; i < levels; i++) body = new AnyValue { ArrayValue = new ArrayValue { Values = { body, new AnyValue { StringValue = new string('"', 20) } } } };
        var record = Warn("");
        record.Body = body;
        var clock = Stopwatch.StartNew();
        var response = await PostAsync(Logs(record).ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = JsonDocument.Parse(Assert.Single(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow())).Detail).RootElement;
        var text = stored.GetProperty("body").GetString()!;
        Assert.EndsWith("…", text, StringComparison.Ordinal);
        Assert.True(text.Length <= TelemetryPolicy.MaxValueChars, $"{text.Length} characters");
        Assert.Equal(TelemetryPolicy.MaxNesting, text.TakeWhile(c => c == '[').Count());
        Assert.DoesNotContain("core", text, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30)); // a hang guard, not a timing claim: it took 1–19 s at 26 levels before
    }

    [Fact]
    public async Task A_body_nested_past_the_protobuf_decoders_limit_is_400_and_nothing_is_stored()
    {
        var org = await f.NewOrgAsync();
        var body = new AnyValue { StringValue = "core" };
        for (int i = 0; i < 200; i++) body = new AnyValue { ArrayValue = new ArrayValue { Values = { body } } };
        var record = Warn("");
        record.Body = body;

        var response = await PostAsync(Logs(record).ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task New_series_past_the_licenses_2000_series_cap_are_rejected_by_name_while_known_series_keep_reporting()
    {
        var org = await f.NewOrgAsync();
        // 2,000 series (one gauge, a distinct pod attribute each) in two exports: all stored.
        for (int batch = 0; batch < 2; batch++)
        {
            var ok = await PostAsync(Metrics([.. Enumerable.Range(batch * 1_000, 1_000).Select(i => Gauge("lg_api_workers", 1, Attribute("pod", $"pod-{i}")))]).ToByteArray(),
                "application/x-protobuf", org.LicenseKey, "metrics");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(0, ExportMetricsServiceResponse.Parser.ParseFrom(await ok.Content.ReadAsByteArrayAsync()).PartialSuccess?.RejectedDataPoints ?? 0);
        }
        // Then 3 known series and 5 new ones: the known are stored, the new refused and named.
        var mixed = await PostAsync(Metrics([.. Enumerable.Range(1_997, 8).Select(i => Gauge("lg_api_workers", 2, Attribute("pod", $"pod-{i}")))]).ToByteArray(),
            "application/x-protobuf", org.LicenseKey, "metrics");
        Assert.Equal(HttpStatusCode.OK, mixed.StatusCode);
        var partial = ExportMetricsServiceResponse.Parser.ParseFrom(await mixed.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(5, partial.RejectedDataPoints);
        Assert.Contains("2,000-series cap", partial.ErrorMessage, StringComparison.Ordinal);
        var latest = await Store.LatestAsync(org.LicenseId);
        Assert.Equal(2_000, latest.Count);
        Assert.Equal(3, latest.Count(m => m.Value == "2"));

        // Fifteen days later the old series have expired from the count: new ones are admitted again.
        using var later = f.Clock.ShiftFor(TimeSpan.FromDays(15));
        var fresh = await PostAsync(Metrics(Gauge("lg_api_workers", 3, Attribute("pod", "pod-new"))).ToByteArray(), "application/x-protobuf", org.LicenseKey, "metrics");
        Assert.Equal(0, ExportMetricsServiceResponse.Parser.ParseFrom(await fresh.Content.ReadAsByteArrayAsync()).PartialSuccess?.RejectedDataPoints ?? 0);
    }

    [Fact]
    public async Task A_nan_gauge_and_a_nan_histogram_sum_are_rejected_by_name_and_the_operator_view_keeps_working()
    {
        var org = await f.NewOrgAsync();
        var histogram = new Otlp.Metrics.Metric
        {
            Name = "lg_api_latency", Histogram = new Otlp.Metrics.Histogram { DataPoints = { new Otlp.Metrics.HistogramDataPoint { Count = 1, Sum = double.NaN, TimeUnixNano = (ulong)NowNanos } } },
        };
        var json = """{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"lg_api_nan","gauge":{"dataPoints":[{"asDouble":"NaN","timeUnixNano":"NOW"}]}}]}]}]}""".Replace("NOW", NowNanos.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var fromJson = await PostAsync(Encoding.UTF8.GetBytes(json), "application/json", org.LicenseKey, "metrics");
        var fromProtobuf = await PostAsync(Metrics(histogram, Gauge("lg_api_ok", 2), Gauge("lg_api_inf", double.PositiveInfinity)).ToByteArray(), "application/x-protobuf", org.LicenseKey, "metrics");

        Assert.Equal(HttpStatusCode.OK, fromJson.StatusCode);
        var jsonAnswer = JsonDocument.Parse(await fromJson.Content.ReadAsStringAsync()).RootElement.GetProperty("partialSuccess");
        Assert.Equal("1", jsonAnswer.GetProperty("rejectedDataPoints").ToString());
        Assert.Contains("NaN", jsonAnswer.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fromProtobuf.StatusCode);
        Assert.Equal(2, ExportMetricsServiceResponse.Parser.ParseFrom(await fromProtobuf.Content.ReadAsByteArrayAsync()).PartialSuccess.RejectedDataPoints);
        Assert.Equal(["lg_api_ok"], (await Store.LatestAsync(org.LicenseId)).Select(m => m.Name));

        // A NaN stored before intake refused them: the view shows it as text instead of failing for 14 days.
        await Store.WriteMetricsAsync(org.OrgId, org.LicenseId, [new MetricPoint("pod-old", "lg_api_old_nan", "", MetricKind.Gauge, new Dictionary<string, string>(), NowNanos, double.NaN, null)], f.Clock.GetUtcNow());
        var view = await OperatorTelemetryAsync(org.LicenseId);
        var old = view.GetProperty("instances").EnumerateArray().SelectMany(i => i.GetProperty("metrics").EnumerateArray()).Single(m => m.GetProperty("name").GetString() == "lg_api_old_nan");
        Assert.Equal("NaN", old.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Identical_records_in_one_export_are_stored_once_and_the_repeat_is_reported_and_not_charged_to_the_cap()
    {
        var org = await f.NewOrgAsync();
        var record = Warn("disk almost full");
        var export = Logs(record, record.Clone(), Warn("another"));
        export.ResourceLogs[0].ScopeLogs[0].LogRecords.AddRange(Enumerable.Range(0, 100).Select(i => Warn($"line {i}")));

        var response = await PostAsync(export.ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partial = ExportLogsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(1, partial.RejectedLogRecords);
        Assert.Contains("repeated", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(102, (await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow(), 1000)).Count);
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(102, (await Store.CountsAsync(org.LicenseId, today, today)).LogsKept);
    }

    [Fact]
    public async Task An_export_storage_refuses_is_503_and_its_records_do_not_count_against_the_daily_cap()
    {
        var org = await f.NewOrgAsync();
        f.Faults.Set(r => r.Method.Method == "POST" && r.Uri.ToUri().AbsolutePath.Contains("$batch", StringComparison.Ordinal)
                          && Beacon.Testing.FaultInjectingTransport.BodyOf(r).Contains("TelemetryRecords", StringComparison.Ordinal) ? Fault.ServerBusy : Fault.None);
        for (int i = 0; i < 3; i++)
        {
            var refused = await PostAsync(Logs(Warn($"try {i}")).ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(refused.Headers.RetryAfter is not null);
        }
        f.Faults.Set(null);

        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(0, (await Store.CountsAsync(org.LicenseId, today, today)).LogsKept);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Logs(Warn("real error")).ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs")).StatusCode);
        Assert.Equal(1, (await Store.CountsAsync(org.LicenseId, today, today)).LogsKept);
    }

    [Fact]
    public async Task The_operator_view_pages_series_logs_and_spans_each_once_in_order()
    {
        var org = await f.NewOrgAsync();
        long day = 86_400L * 1_000_000_000;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Metrics([.. Enumerable.Range(0, 5).Select(i => Gauge($"queue.depth.{i}", i))]).ToByteArray(),
            "application/x-protobuf", org.LicenseKey, "metrics")).StatusCode);
        // Five logs over two days: a page may end inside a day or at its end.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Logs([.. Enumerable.Range(0, 5).Select(i => Warn($"log {i}", NowNanos - i * day / 3))]).ToByteArray(),
            "application/x-protobuf", org.LicenseKey, "logs")).StatusCode);
        var key = await Operators.NewKeyAsync(f, "ops-telemetry-pages");
        async Task<JsonElement> PageAsync(string? cursor) =>
            await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/telemetry?license_id={org.LicenseId}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), key);

        var first = await PageAsync(null);
        Assert.Equal(2, first.GetProperty("instances").EnumerateArray().Sum(i => i.GetProperty("metrics").GetArrayLength()));
        Assert.Equal(2, first.GetProperty("logs").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("next_cursors").GetProperty("spans").ValueKind);

        async Task<List<string>> AllAsync(string list, string cursorName, Func<JsonElement, IEnumerable<string>> items)
        {
            var all = items(first).ToList();
            var cursor = first.GetProperty("next_cursors").GetProperty(cursorName).GetString();
            while (cursor is not null)
            {
                var page = await PageAsync(cursor);
                all.AddRange(items(page));
                foreach (var other in new[] { "logs", "spans" }.Where(o => o != list)) Assert.Equal(0, page.GetProperty(other).GetArrayLength());
                cursor = page.GetProperty("next_cursors").GetProperty(cursorName).GetString();
            }
            return all;
        }
        var series = await AllAsync("instances", "series", p => p.GetProperty("instances").EnumerateArray().SelectMany(i => i.GetProperty("metrics").EnumerateArray()).Select(m => m.GetProperty("name").GetString()!));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"queue.depth.{i}"), series.Order(StringComparer.Ordinal));
        var logs = await AllAsync("logs", "logs", p => p.GetProperty("logs").EnumerateArray().Select(l => l.GetProperty("body").GetString()!));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"log {i}"), logs); // newest first, each once

        var forged = new Beacon.Domain.Fleet.PageCursor(TelemetryStore.Logs, "not-a-day|log|x").Encode();
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/telemetry?license_id={org.LicenseId}&cursor={forged}", key)).StatusCode);
    }

    [Fact]
    public async Task An_export_over_two_days_whose_second_day_cannot_be_written_stores_nothing_and_sent_again_counts_each_record_once()
    {
        var org = await f.NewOrgAsync();
        long day = 86_400L * 1_000_000_000;
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        var yesterday = today.AddDays(-1);
        // Today's 150 records come first (two batches, written), then yesterday's 3, whose partition storage refuses.
        var export = Logs([.. Enumerable.Range(0, 150).Select(i => Warn($"today {i}")), .. Enumerable.Range(0, 3).Select(i => Warn($"yesterday {i}", NowNanos - day))]).ToByteArray();
        var yesterdayPartition = Beacon.Domain.Time.Timestamps.DayKey(yesterday) + "|" + org.LicenseId;
        f.Faults.Set(r => r.Method.Method == "POST" && r.Uri.ToUri().AbsolutePath.Contains("$batch", StringComparison.Ordinal)
                          && Beacon.Testing.FaultInjectingTransport.BodyOf(r).Contains(yesterdayPartition, StringComparison.Ordinal) ? Fault.ServerBusy : Fault.None);
        var refused = await PostAsync(export, "application/x-protobuf", org.LicenseKey, "logs");
        f.Faults.Set(null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

        async Task<(int Rows, long Today, long Yesterday)> StoredAsync() => (
            (await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow(), 1000)).Count,
            (await Store.CountsAsync(org.LicenseId, today, today)).LogsKept, (await Store.CountsAsync(org.LicenseId, yesterday, yesterday)).LogsKept);
        Assert.Equal((0, 0L, 0L), await StoredAsync());

        // Sent again: all of it, counted once; and once more (a lost answer): nothing changes.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(export, "application/x-protobuf", org.LicenseKey, "logs")).StatusCode);
        Assert.Equal((153, 150L, 3L), await StoredAsync());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(export, "application/x-protobuf", org.LicenseKey, "logs")).StatusCode);
        Assert.Equal((153, 150L, 3L), await StoredAsync());
    }

    [Fact]
    public async Task Records_dated_more_than_a_day_ahead_or_before_retention_are_rejected_by_name_and_nothing_of_them_is_stored()
    {
        var org = await f.NewOrgAsync();
        long day = 86_400L * 1_000_000_000;
        var year2100 = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        var export = Logs(Warn("tomorrow and a bit", NowNanos + day + 3_600_000_000_000), Warn("in 2100", year2100), Warn("eight days ago", NowNanos - 8 * day),
            Warn("an hour ahead (skew)", NowNanos + 3_600_000_000_000), Warn("now"));

        var response = await PostAsync(export.ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs");

        var partial = ExportLogsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).PartialSuccess;
        Assert.Equal(3, partial.RejectedLogRecords);
        Assert.Contains("2 log records dated more than 24 h ahead", partial.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("1 log records older than the 7-day retention", partial.ErrorMessage, StringComparison.Ordinal);
        var stored = await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow().AddDays(1), 1000);
        Assert.Equal(["an hour ahead (skew)", "now"], stored.Select(r => JsonDocument.Parse(r.Detail).RootElement.GetProperty("body").GetString()).Order());

        var spans = new ExportTraceServiceRequest { ResourceSpans = { new Otlp.Trace.ResourceSpans { ScopeSpans = { new Otlp.Trace.ScopeSpans { Spans =
        {
            new Otlp.Trace.Span { Name = "future", StartTimeUnixNano = (ulong)year2100, EndTimeUnixNano = (ulong)year2100 + 2_000_000_000, Status = new Otlp.Trace.Status { Code = 2 } },
        } } } } } };
        var spanAnswer = await PostAsync(spans.ToByteArray(), "application/x-protobuf", org.LicenseKey, "traces");
        Assert.Equal(1, ExportTraceServiceResponse.Parser.ParseFrom(await spanAnswer.Content.ReadAsByteArrayAsync()).PartialSuccess.RejectedSpans);
        var future = new DateOnly(2100, 1, 1);
        Assert.Equal(0, (await Store.CountsAsync(org.LicenseId, future, future)).SpansKept);
    }

    [Fact]
    public async Task Names_of_70000_characters_repeated_keys_and_hundreds_of_attributes_are_cut_to_the_documented_bounds_and_stored()
    {
        var org = await f.NewOrgAsync();
        var huge = new string('é', 70_000);
        var attributes = new List<KeyValue> { Attribute(huge, "v"), Attribute("k", "first"), Attribute("k", "second") };
        attributes.AddRange(Enumerable.Range(0, 200).Select(i => Attribute($"a{i}", new string('\u0001', 4_000))));
        var metrics = Metrics(Gauge(huge, 1, [.. attributes]));
        var kv = new AnyValue { KvlistValue = new KeyValueList { Values = { Attribute("dup", "1"), Attribute("dup", "2") } } };
        var log = Warn("");
        log.Body = kv;
        var span = new Otlp.Trace.Span { Name = huge, StartTimeUnixNano = (ulong)NowNanos, EndTimeUnixNano = (ulong)NowNanos + 2_000_000_000 };
        span.Attributes.AddRange(attributes);
        var spans = new ExportTraceServiceRequest { ResourceSpans = { new Otlp.Trace.ResourceSpans { ScopeSpans = { new Otlp.Trace.ScopeSpans { Spans = { span } } } } } };

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(metrics.ToByteArray(), "application/x-protobuf", org.LicenseKey, "metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Logs(log).ToByteArray(), "application/x-protobuf", org.LicenseKey, "logs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(spans.ToByteArray(), "application/x-protobuf", org.LicenseKey, "traces")).StatusCode);

        var gauge = Assert.Single(await Store.LatestAsync(org.LicenseId));
        Assert.Equal(TelemetryPolicy.MaxNameChars, gauge.Name.Length);
        Assert.EndsWith("…", gauge.Name, StringComparison.Ordinal);
        Assert.Equal("first", gauge.Attributes["k"]);
        Assert.True(gauge.Attributes.Count <= TelemetryPolicy.MaxAttributes + 1);
        Assert.True(int.Parse(gauge.Attributes["beacon.dropped_attributes"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        var body = JsonDocument.Parse(Assert.Single(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow())).Detail).RootElement.GetProperty("body").GetString();
        Assert.Equal("""{"dup":"1"}""", body);
        var stored = JsonDocument.Parse(Assert.Single(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Spans, f.Clock.GetUtcNow())).Detail).RootElement;
        Assert.Equal(TelemetryPolicy.MaxNameChars, stored.GetProperty("name").GetString()!.Length);
        await OperatorTelemetryAsync(org.LicenseId);
    }

    [Theory]
    [InlineData("""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":17,"body":{"stringValue":"\ud800 alone"}}]}]}]}""", false)]
    [InlineData("""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":17,"body":{"stringValue":"BAD"}}]}]}]}""", true)]
    public async Task Otlp_json_that_is_not_text_is_400_and_nothing_is_stored(string json, bool invalidUtf8)
    {
        var org = await f.NewOrgAsync();
        var bytes = Encoding.UTF8.GetBytes(json);
        if (invalidUtf8)
        {
            int at = json.IndexOf("BAD", StringComparison.Ordinal);
            bytes[at] = 0xC3; bytes[at + 1] = 0x28; // an invalid two-byte sequence
        }
        var response = await PostAsync(bytes, "application/json", org.LicenseKey, "logs");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await Store.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow()));
    }
}
