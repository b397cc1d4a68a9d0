namespace Beacon.Api.Operator;

/// <summary>One metric series' latest point.</summary>
internal sealed record TelemetryMetric(string Name, string Unit, string Kind, IReadOnlyDictionary<string, string> Attributes, object Value, DateTimeOffset At);
