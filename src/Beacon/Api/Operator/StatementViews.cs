using Beacon.Domain.Meters;
using Beacon.Storage.Statements;

namespace Beacon.Api.Operator;

/// <summary>Statements and adjustments as the operator API shows them: meter columns from the catalog.</summary>
internal static class StatementViews
{
    public static StatementView Of(Statement s, MeterCatalog catalog) => new(
        s.Month.ToString(), s.Closed ? "closed" : "open", s.ClosedAt,
        [.. s.Lines.Select(l => new StatementLineView(l.Key.OrgId, l.OrgName, l.Key.LicenseId.Length == 0 ? null : l.Key.LicenseId, l.Plan)
        {
            Meters = catalog.Meters.ToDictionary(m => m.Name, m => (object?)l.Totals.Find(m.Name)),
        })],
        [.. s.Adjustments.Select(Of)]);

    public static AdjustmentView Of(StoredAdjustment a) => new(
        a.Id, a.OrgId, a.LicenseId, a.Metric, a.Delta, a.ForMonth.ToString(), a.RecordedInMonth.ToString(), a.Reason, a.RecordedAt, a.Actor);
}
