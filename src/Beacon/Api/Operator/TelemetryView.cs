namespace Beacon.Api.Operator;

/// <summary>
/// The answer of GET /api/v1/operator/telemetry: a page of an install's latest metrics (one per series, grouped
/// per instance), of its kept logs and of its kept spans (newest first), and what was not kept. Without a cursor
/// all three lists start; with one, only that list goes on. <c>next_cursors</c> says where each goes on (null at its end).
/// </summary>
internal sealed record TelemetryView(IReadOnlyList<TelemetryInstance> Instances, IReadOnlyList<System.Text.Json.JsonElement> Logs,
    IReadOnlyList<System.Text.Json.JsonElement> Spans, IReadOnlyDictionary<string, long> Dropped)
{
    public TelemetryCursors NextCursors { get; init; } = new(null, null, null);
}
