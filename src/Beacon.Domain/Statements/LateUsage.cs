using Beacon.Domain.Meters;

namespace Beacon.Domain.Statements;

/// <summary>
/// The late-usage rule (SPEC §13–§14): for a closed month, live usage minus what a line has accounted for
/// so far (its frozen totals plus the late usage already recorded) is what arrived late, recorded as one
/// adjustment per meter that differs. A distinct-minute total is not additive, so its adjustment is the
/// change of the month's deduplicated total (possibly none). A meter a frozen line lacks (the month closed
/// before the meter existed) was never invoiced and is not reconciled.
/// </summary>
public static class LateUsage
{
    /// <param name="live">The month's usage now, per line (license and source; empty license = API-key usage).</param>
    /// <param name="accounted">The accounted totals of the lines that exist.</param>
    /// <returns>One reconciliation per line that changed, in line order.</returns>
    public static IReadOnlyList<LineReconciliation> Reconcile(MeterCatalog catalog, IReadOnlyDictionary<LineId, MeterTotals> live, IReadOnlyDictionary<LineId, MeterTotals> accounted)
    {
        var result = new List<LineReconciliation>();
        foreach (var id in live.Keys.Union(accounted.Keys).Order())
        {
            var now = live.GetValueOrDefault(id) ?? MeterTotals.Zero(catalog);
            var line = accounted.GetValueOrDefault(id);
            var deltas = new List<(string, Int128)>();
            var next = line ?? MeterTotals.Zero(catalog);
            foreach (var meter in catalog.Meters)
            {
                if (line is not null && !line.Has(meter.Name)) continue;
                var delta = checked(now.Get(meter.Name) - next.Get(meter.Name));
                if (delta == 0) continue;
                deltas.Add((meter.Name, delta));
                next = next.Plus(meter.Name, delta);
            }
            if (deltas.Count > 0) result.Add(new LineReconciliation(id, deltas, next));
        }
        return result;
    }
}
