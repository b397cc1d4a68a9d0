namespace Beacon.Domain.Statements;

/// <summary>Wire names of the statement metrics (JSON fields, CSV columns, adjustment <c>metric</c>).</summary>
public static class StatementMetrics
{
    public static IReadOnlyList<StatementMetric> All { get; } = Enum.GetValues<StatementMetric>();

    public static string Name(StatementMetric m) => m switch
    {
        StatementMetric.AgentRuns => "agent_runs",
        StatementMetric.NodesExecuted => "nodes_executed",
        StatementMetric.AgentUptimeSeconds => "agent_uptime_seconds",
        StatementMetric.TracesLonglived => "traces_longlived",
        _ => "traces_shortlived",
    };

    /// <summary>Parses a name this service wrote itself; anything else is a bug.</summary>
    public static StatementMetric Parse(string? name) => TryParse(name, out var m) ? m : throw new FormatException($"Not a statement metric: '{name}'.");

    public static bool TryParse(string? name, out StatementMetric metric)
    {
        foreach (var m in All)
        {
            if (Name(m) != name) continue;
            metric = m;
            return true;
        }
        metric = default;
        return false;
    }
}
