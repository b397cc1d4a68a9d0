namespace Beacon.Domain.Meters;

/// <summary>
/// Turns one UTC day's window pieces into that day's cells: additive values summed per cell key, and for
/// every distinct-minute meter and scope, the minutes of each scope group (a deployment; or a deployment's
/// windows of one user, or of one API key) counted once and credited to the group's first cell key. The
/// group lies inside one cell of any coarser grouping and in none other, so summing cells of a day, a week
/// or a month over any grouping adds each group's minutes exactly once (ADR 0013).
/// </summary>
public static class DayCells
{
    public static IEnumerable<UsageCell> Combine(MeterCatalog catalog, IReadOnlyCollection<WindowPiece> pieces)
    {
        var sums = new Dictionary<CellKey, Int128[]>();
        Int128[] Sum(CellKey key) => sums.TryGetValue(key, out var s) ? s : sums[key] = new Int128[catalog.Slots.Count];
        foreach (var p in pieces) p.Additive.AddTo(Sum(p.Key));

        for (int slot = 0; slot < catalog.Slots.Count; slot++)
        {
            if (catalog.Slots[slot] is not { Meter.Aggregation: Aggregation.DistinctMinuteSlots, Scope: { } scope }) continue;
            foreach (var group in pieces.GroupBy(p => p.Key.ScopeKey(scope)))
            {
                var minutes = MinuteSlots.CountDistinct(group.Select(p => (p.StartMicros, p.EndMicros)));
                if (minutes == 0) continue;
                var first = group.Select(p => p.Key).Min();
                Sum(first)[slot] += minutes;
            }
        }
        return sums.Where(kv => kv.Value.Any(v => v != 0)).Select(kv => new UsageCell(kv.Key, new MeterValues(kv.Value)));
    }
}
