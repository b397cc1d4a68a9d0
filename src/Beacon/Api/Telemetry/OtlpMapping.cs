using System.Globalization;
using Beacon.Domain.Telemetry;
using Beacon.Otlp.Common;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Beacon.Api.Telemetry;

/// <summary>
/// From OTLP messages to the domain's telemetry records. The instance is the point's <c>instance_id</c>
/// attribute (langgraph-api sets it to the pod name), else the resource's <c>service.instance.id</c> or
/// <c>instance_id</c>. Attribute values become bounded strings (<see cref="OtlpValues"/>). Points that
/// are not numbers (NaN, ±Infinity) and records dated outside what is kept are dropped here and
/// counted in <see cref="OtlpDrops"/>.
/// </summary>
internal static class OtlpMapping
{
    private const string InstanceAttribute = "instance_id";

    public static List<MetricPoint> Metrics(Otlp.Collector.Metrics.ExportMetricsServiceRequest request, DateTimeOffset now, OtlpDrops drops)
    {
        var points = new List<MetricPoint>();
        foreach (var rm in request.ResourceMetrics)
        {
            var resource = OtlpValues.Attributes(rm.Resource?.Attributes);
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var m in sm.Metrics)
                {
                    var name = OtlpValues.Name(m.Name);
                    var unit = OtlpValues.Name(m.Unit);
                    void Add(RepeatedField<KeyValue> attributes, ulong time, MetricKind kind, double? value, HistogramValue? histogram)
                    {
                        long nanos = (long)Math.Min(time, long.MaxValue);
                        if (TelemetryPolicy.RefusalOf(nanos, now, TelemetryPolicy.SeriesDays) is { } refusal)
                        {
                            drops.Add("points " + refusal);
                            return;
                        }
                        if (value is { } v && !double.IsFinite(v) || histogram?.Sum is { } sum && !double.IsFinite(sum)
                            || histogram is not null && histogram.Bounds.Any(b => !double.IsFinite(b)))
                        {
                            drops.Add("points that are not finite numbers (NaN or Infinity)");
                            return;
                        }
                        if (histogram is not null && histogram.BucketCounts.Count > TelemetryPolicy.MaxHistogramBuckets)
                        {
                            drops.Add($"histogram points with more than {TelemetryPolicy.MaxHistogramBuckets} buckets");
                            return;
                        }
                        var (instance, rest) = Instance(OtlpValues.Attributes(attributes), resource);
                        points.Add(new MetricPoint(instance, name, unit, kind, rest, nanos, value, histogram));
                    }
                    switch (m.DataCase)
                    {
                        case Otlp.Metrics.Metric.DataOneofCase.Gauge:
                        case Otlp.Metrics.Metric.DataOneofCase.Sum:
                            var kind = m.DataCase == Otlp.Metrics.Metric.DataOneofCase.Gauge ? MetricKind.Gauge : MetricKind.Sum;
                            foreach (var p in m.DataCase == Otlp.Metrics.Metric.DataOneofCase.Gauge ? m.Gauge.DataPoints : m.Sum.DataPoints)
                            {
                                double? value = p.ValueCase switch
                                {
                                    Otlp.Metrics.NumberDataPoint.ValueOneofCase.AsDouble => p.AsDouble,
                                    Otlp.Metrics.NumberDataPoint.ValueOneofCase.AsInt => p.AsInt,
                                    _ => null,
                                };
                                if (value is null) drops.Add("points without a value");
                                else Add(p.Attributes, p.TimeUnixNano, kind, value, null);
                            }
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Histogram:
                            foreach (var p in m.Histogram.DataPoints)
                                Add(p.Attributes, p.TimeUnixNano, MetricKind.Histogram, null,
                                    new HistogramValue(p.Count, p.HasSum ? p.Sum : null, [.. p.ExplicitBounds], [.. p.BucketCounts]));
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.ExponentialHistogram:
                            foreach (var p in m.ExponentialHistogram.DataPoints)
                                Add(p.Attributes, p.TimeUnixNano, MetricKind.ExponentialHistogram, null, new HistogramValue(p.Count, p.HasSum ? p.Sum : null, [], []));
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Summary:
                            foreach (var p in m.Summary.DataPoints)
                                Add(p.Attributes, p.TimeUnixNano, MetricKind.Summary, null, new HistogramValue(p.Count, p.Sum, [], []));
                            break;
                        default:
                            drops.Add("metrics without data"); // nothing to store
                            break;
                    }
                }
            }
        }
        return points;
    }

    public static List<LogEntry> Logs(Otlp.Collector.Logs.ExportLogsServiceRequest request, DateTimeOffset now, OtlpDrops drops)
    {
        var logs = new List<LogEntry>();
        foreach (var rl in request.ResourceLogs)
        {
            var resource = OtlpValues.Attributes(rl.Resource?.Attributes);
            foreach (var l in rl.ScopeLogs.SelectMany(sl => sl.LogRecords))
            {
                long time = (long)Math.Min(l.TimeUnixNano > 0 ? l.TimeUnixNano : l.ObservedTimeUnixNano, long.MaxValue);
                if (TelemetryPolicy.RefusalOf(time, now, TelemetryPolicy.RecordDays) is { } refusal)
                {
                    drops.Add("log records " + refusal);
                    continue;
                }
                var (instance, rest) = Instance(OtlpValues.Attributes(l.Attributes), resource);
                logs.Add(new LogEntry(instance, time, l.SeverityNumber, OtlpValues.Name(l.SeverityText), OtlpValues.Text(l.Body), rest, Hex(l.TraceId), Hex(l.SpanId)));
            }
        }
        return logs;
    }

    public static List<SpanEntry> Spans(Otlp.Collector.Trace.ExportTraceServiceRequest request, DateTimeOffset now, OtlpDrops drops)
    {
        var spans = new List<SpanEntry>();
        foreach (var rs in request.ResourceSpans)
        {
            var resource = OtlpValues.Attributes(rs.Resource?.Attributes);
            foreach (var s in rs.ScopeSpans.SelectMany(ss => ss.Spans))
            {
                long start = (long)Math.Min(s.StartTimeUnixNano, long.MaxValue);
                if (TelemetryPolicy.RefusalOf(start, now, TelemetryPolicy.RecordDays) is { } refusal)
                {
                    drops.Add("spans " + refusal);
                    continue;
                }
                var (instance, rest) = Instance(OtlpValues.Attributes(s.Attributes), resource);
                spans.Add(new SpanEntry(instance, Hex(s.TraceId), Hex(s.SpanId), OtlpValues.Name(s.Name), start, (long)Math.Min(s.EndTimeUnixNano, long.MaxValue),
                    s.Status?.Code ?? 0, OtlpValues.Bounded(s.Status?.Message ?? "", TelemetryPolicy.MaxValueChars), rest));
            }
        }
        return spans;
    }

    private static (string Instance, Dictionary<string, string> Others) Instance(Dictionary<string, string> attributes, Dictionary<string, string> resource)
    {
        if (attributes.Remove(InstanceAttribute, out var own)) return (OtlpValues.Name(own), attributes);
        return (OtlpValues.Name(resource.GetValueOrDefault("service.instance.id") ?? resource.GetValueOrDefault(InstanceAttribute) ?? ""), attributes);
    }

    // Trace and span ids are 16 and 8 bytes; anything longer is cut (hex of at most 32 bytes).
    private static string Hex(ByteString id) => Convert.ToHexStringLower(id.Span[..Math.Min(id.Length, 32)]);
}
