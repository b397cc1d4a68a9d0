using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Telemetry;
using Beacon.Otlp.Common;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace Beacon.Api.Telemetry;

/// <summary>
/// From OTLP messages to the domain's telemetry records. The instance is the point's <c>instance_id</c>
/// attribute (langgraph-api sets it to the pod name), else the resource's <c>service.instance.id</c> or
/// <c>instance_id</c>. Attribute values become strings (arrays and maps as JSON).
/// </summary>
internal static class OtlpMapping
{
    private const string InstanceAttribute = "instance_id";

    public static (List<MetricPoint> Points, int Rejected) Metrics(Otlp.Collector.Metrics.ExportMetricsServiceRequest request)
    {
        var points = new List<MetricPoint>();
        int rejected = 0;
        foreach (var rm in request.ResourceMetrics)
        {
            var resource = Attributes(rm.Resource?.Attributes);
            foreach (var sm in rm.ScopeMetrics)
            {
                foreach (var m in sm.Metrics)
                {
                    MetricPoint Point(RepeatedField<KeyValue> attributes, ulong time, MetricKind kind, double? value, HistogramValue? histogram)
                    {
                        var (instance, rest) = Instance(Attributes(attributes), resource);
                        return new MetricPoint(instance, m.Name, m.Unit, kind, rest, (long)Math.Min(time, long.MaxValue), value, histogram);
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
                                if (value is null) rejected++;
                                else points.Add(Point(p.Attributes, p.TimeUnixNano, kind, value, null));
                            }
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Histogram:
                            foreach (var p in m.Histogram.DataPoints)
                                points.Add(Point(p.Attributes, p.TimeUnixNano, MetricKind.Histogram, null,
                                    new HistogramValue(p.Count, p.HasSum ? p.Sum : null, [.. p.ExplicitBounds], [.. p.BucketCounts])));
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.ExponentialHistogram:
                            foreach (var p in m.ExponentialHistogram.DataPoints)
                                points.Add(Point(p.Attributes, p.TimeUnixNano, MetricKind.ExponentialHistogram, null, new HistogramValue(p.Count, p.HasSum ? p.Sum : null, [], [])));
                            break;
                        case Otlp.Metrics.Metric.DataOneofCase.Summary:
                            foreach (var p in m.Summary.DataPoints)
                                points.Add(Point(p.Attributes, p.TimeUnixNano, MetricKind.Summary, null, new HistogramValue(p.Count, p.Sum, [], [])));
                            break;
                        default:
                            rejected++; // a metric without data: nothing to store
                            break;
                    }
                }
            }
        }
        return (points, rejected);
    }

    public static List<LogEntry> Logs(Otlp.Collector.Logs.ExportLogsServiceRequest request) =>
        [.. request.ResourceLogs.SelectMany(rl =>
        {
            var resource = Attributes(rl.Resource?.Attributes);
            return rl.ScopeLogs.SelectMany(sl => sl.LogRecords).Select(l =>
            {
                var (instance, rest) = Instance(Attributes(l.Attributes), resource);
                long time = (long)Math.Min(l.TimeUnixNano > 0 ? l.TimeUnixNano : l.ObservedTimeUnixNano, long.MaxValue);
                return new LogEntry(instance, time, l.SeverityNumber, l.SeverityText, Text(l.Body), rest, Hex(l.TraceId), Hex(l.SpanId));
            });
        })];

    public static List<SpanEntry> Spans(Otlp.Collector.Trace.ExportTraceServiceRequest request) =>
        [.. request.ResourceSpans.SelectMany(rs =>
        {
            var resource = Attributes(rs.Resource?.Attributes);
            return rs.ScopeSpans.SelectMany(ss => ss.Spans).Select(s =>
            {
                var (instance, rest) = Instance(Attributes(s.Attributes), resource);
                return new SpanEntry(instance, Hex(s.TraceId), Hex(s.SpanId), s.Name, (long)Math.Min(s.StartTimeUnixNano, long.MaxValue),
                    (long)Math.Min(s.EndTimeUnixNano, long.MaxValue), s.Status?.Code ?? 0, s.Status?.Message ?? "", rest);
            });
        })];

    private static (string Instance, Dictionary<string, string> Others) Instance(Dictionary<string, string> attributes, Dictionary<string, string> resource)
    {
        if (attributes.Remove(InstanceAttribute, out var own)) return (own, attributes);
        return (resource.GetValueOrDefault("service.instance.id") ?? resource.GetValueOrDefault(InstanceAttribute) ?? "", attributes);
    }

    private static Dictionary<string, string> Attributes(RepeatedField<KeyValue>? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (attributes is null) return result;
        foreach (var kv in attributes) result[kv.Key] = Text(kv.Value);
        return result;
    }

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.ToByteArray()),
        AnyValue.ValueOneofCase.ArrayValue => JsonSerializer.Serialize(value.ArrayValue.Values.Select(Text)),
        AnyValue.ValueOneofCase.KvlistValue => JsonSerializer.Serialize(value.KvlistValue.Values.ToDictionary(kv => kv.Key, kv => Text(kv.Value))),
        _ => "",
    };

    private static string Hex(ByteString id) => Convert.ToHexStringLower(id.ToByteArray());
}
