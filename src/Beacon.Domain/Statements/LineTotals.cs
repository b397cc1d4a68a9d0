namespace Beacon.Domain.Statements;

/// <summary>
/// The billed totals of one statement line (one org and license over one month). 128-bit like every
/// usage sum, so no amount of usage can overflow them.
/// </summary>
public sealed record LineTotals(Int128 AgentRuns, Int128 NodesExecuted, Int128 AgentUptimeSeconds, Int128 TracesLonglived, Int128 TracesShortlived)
{
    public static LineTotals Zero { get; } = new(0, 0, 0, 0, 0);

    public Int128 Get(StatementMetric metric) => metric switch
    {
        StatementMetric.AgentRuns => AgentRuns,
        StatementMetric.NodesExecuted => NodesExecuted,
        StatementMetric.AgentUptimeSeconds => AgentUptimeSeconds,
        StatementMetric.TracesLonglived => TracesLonglived,
        _ => TracesShortlived,
    };

    public LineTotals Plus(StatementMetric metric, Int128 delta) => metric switch
    {
        StatementMetric.AgentRuns => this with { AgentRuns = checked(AgentRuns + delta) },
        StatementMetric.NodesExecuted => this with { NodesExecuted = checked(NodesExecuted + delta) },
        StatementMetric.AgentUptimeSeconds => this with { AgentUptimeSeconds = checked(AgentUptimeSeconds + delta) },
        StatementMetric.TracesLonglived => this with { TracesLonglived = checked(TracesLonglived + delta) },
        _ => this with { TracesShortlived = checked(TracesShortlived + delta) },
    };

    public bool IsZero => StatementMetrics.All.All(m => Get(m) == 0);

    /// <summary>
    /// What must be added to <paramref name="accounted"/> to reach this: one (metric, delta) per metric
    /// that differs, in column order. How late usage for a closed month becomes adjustments.
    /// </summary>
    public IReadOnlyList<(StatementMetric Metric, Int128 Delta)> DeltasFrom(LineTotals accounted) =>
        [.. StatementMetrics.All.Select(m => (m, checked(Get(m) - accounted.Get(m)))).Where(d => d.Item2 != 0)];
}
