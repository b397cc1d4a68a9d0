namespace Beacon.Api.Operator;

/// <summary>The answer of GET /api/v1/operator/telemetry: an install's latest metrics per instance, kept logs and spans, and what was not kept.</summary>
internal sealed record TelemetryView(IReadOnlyList<TelemetryInstance> Instances, IReadOnlyList<System.Text.Json.JsonElement> Logs,
    IReadOnlyList<System.Text.Json.JsonElement> Spans, IReadOnlyDictionary<string, long> Dropped);
