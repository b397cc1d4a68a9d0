using Beacon.Domain.Statements;
using Beacon.Storage.Statements;

namespace Beacon.Api.Operator;

/// <summary>Statements and adjustments as the operator API shows them.</summary>
internal static class StatementViews
{
    public static StatementView Of(Statement s) => new(
        s.Month.ToString(), s.Closed ? "closed" : "open", s.ClosedAt,
        [.. s.Lines.Select(l => new StatementLineView(l.Key.OrgId, l.OrgName, l.Key.LicenseId.Length == 0 ? null : l.Key.LicenseId, l.Plan,
            l.Totals.AgentRuns, l.Totals.NodesExecuted, l.Totals.AgentUptimeSeconds, l.Totals.TracesLonglived, l.Totals.TracesShortlived))],
        [.. s.Adjustments.Select(Of)]);

    public static AdjustmentView Of(StoredAdjustment a) => new(
        a.Id, a.OrgId, a.LicenseId, StatementMetrics.Name(a.Metric), a.Delta, a.ForMonth.ToString(), a.RecordedInMonth.ToString(), a.Reason, a.RecordedAt, a.Actor);
}
