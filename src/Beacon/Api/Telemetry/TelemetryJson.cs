using System.Text.Json.Serialization;

namespace Beacon.Api.Telemetry;

/// <summary>The stored detail of kept logs and spans, generated at compile time (ADR 0001); attribute keys are written as sent.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StoredLogDetail))]
[JsonSerializable(typeof(StoredSpanDetail))]
internal sealed partial class TelemetryJson : JsonSerializerContext;
