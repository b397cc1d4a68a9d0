namespace Beacon.Domain.Telemetry;

/// <summary>One span of an install's operational telemetry. <see cref="StatusCode"/> is OTLP's: 0 unset, 1 ok, 2 error.</summary>
public sealed record SpanEntry(
    string Instance,
    string TraceId,
    string SpanId,
    string Name,
    long StartUnixNano,
    long EndUnixNano,
    int StatusCode,
    string StatusMessage,
    IReadOnlyDictionary<string, string> Attributes)
{
    public TimeSpan Duration => TimeSpan.FromTicks(Math.Max(0, EndUnixNano - StartUnixNano) / 100);
}
