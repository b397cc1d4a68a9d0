namespace Beacon.Api.Operator;

/// <summary>Where each list of the telemetry view goes on: pass one as <c>cursor</c> for that list's next page.</summary>
internal sealed record TelemetryCursors(string? Series, string? Logs, string? Spans);
