namespace Beacon.Domain.Telemetry;

/// <summary>One log record of an install's operational telemetry.</summary>
public sealed record LogEntry(
    string Instance,
    long TimeUnixNano,
    int SeverityNumber,
    string SeverityText,
    string Body,
    IReadOnlyDictionary<string, string> Attributes,
    string TraceId,
    string SpanId);
