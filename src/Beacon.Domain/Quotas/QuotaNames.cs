namespace Beacon.Domain.Quotas;

/// <summary>Wire names of quota metrics and states.</summary>
public static class QuotaNames
{
    public static string Of(QuotaMetric m) => m switch
    {
        QuotaMetric.AgentRuns => "agent_runs",
        QuotaMetric.NodesExecuted => "nodes_executed",
        QuotaMetric.AgentUptimeSeconds => "agent_uptime_seconds",
        _ => "traces",
    };

    public static string Of(QuotaState s) => s switch
    {
        QuotaState.Ok => "ok",
        QuotaState.Warning => "warning",
        _ => "exceeded",
    };

    public static bool TryParse(string? name, out QuotaMetric metric)
    {
        foreach (var m in Enum.GetValues<QuotaMetric>())
        {
            if (Of(m) != name) continue;
            metric = m;
            return true;
        }
        metric = default;
        return false;
    }
}
