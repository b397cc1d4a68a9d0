namespace Beacon.Domain.Statements;

/// <summary>The billed metrics of a statement line, in the order of its columns.</summary>
public enum StatementMetric
{
    AgentRuns,
    NodesExecuted,
    AgentUptimeSeconds,
    TracesLonglived,
    TracesShortlived,
}
