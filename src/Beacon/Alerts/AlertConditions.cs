namespace Beacon.Alerts;

/// <summary>The state-based events (SPEC §18): evaluated by every alerts run; each emitted once per condition, by its stable id.</summary>
public sealed class AlertConditions
{
    public Task<int> EvaluateAsync(CancellationToken ct) => Task.FromResult(0);
}
