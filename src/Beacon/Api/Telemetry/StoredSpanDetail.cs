namespace Beacon.Api.Telemetry;

/// <summary>A kept span's detail as stored and listed (snake_case, in this order).</summary>
internal sealed record StoredSpanDetail(string Name, string TraceId, string SpanId, double DurationMs, int StatusCode, string StatusMessage, IReadOnlyDictionary<string, string> Attributes);
