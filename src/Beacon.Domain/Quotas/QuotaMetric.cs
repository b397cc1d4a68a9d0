namespace Beacon.Domain.Quotas;

/// <summary>What a license quota limits per UTC month (SPEC §13).</summary>
public enum QuotaMetric
{
    AgentRuns,
    NodesExecuted,
    AgentUptimeSeconds,
    Traces,
}
