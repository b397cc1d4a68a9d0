namespace Beacon.Api.Telemetry;

/// <summary>A kept log record's detail as stored and listed (snake_case, in this order).</summary>
internal sealed record StoredLogDetail(int SeverityNumber, string SeverityText, string Body, IReadOnlyDictionary<string, string> Attributes, string TraceId, string SpanId);
