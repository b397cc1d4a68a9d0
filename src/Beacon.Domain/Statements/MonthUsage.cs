using Beacon.Domain.Meters;

namespace Beacon.Domain.Statements;

/// <summary>
/// Adds one org's one-day cells of a month into totals per key (a line for statements, a deployment
/// for the console; cells <c>includes</c> refuses are left out). Each meter is finished per (key, UTC day) and then summed — uptime rounded
/// to seconds per day, distinct minutes at deployment scope — exactly as the granular usage API shows the
/// daily buckets of a month (its stride for a month is one day). So a statement line is the sum of that
/// API's records, and a customer can reproduce every number of an invoice from it.
/// </summary>
public sealed class MonthUsage<TKey>(MeterCatalog catalog, Func<CellKey, bool> includes, Func<CellKey, TKey> keyOf) where TKey : notnull
{
    private readonly Dictionary<(TKey Key, DateOnly Day), Int128[]> _days = [];

    public void Add(DateOnly day, UsageCell cell)
    {
        if (!includes(cell.Key)) return;
        var k = (keyOf(cell.Key), day);
        if (!_days.TryGetValue(k, out var sum)) _days[k] = sum = new Int128[catalog.Slots.Count];
        cell.Values.AddTo(sum);
    }

    /// <summary>The totals per key (every meter present), only for keys with any usage.</summary>
    public IReadOnlyDictionary<TKey, MeterTotals> Totals()
    {
        var totals = new Dictionary<TKey, Int128[]>();
        var meters = catalog.Meters;
        foreach (var ((key, _), sums) in _days)
        {
            if (!totals.TryGetValue(key, out var t)) totals[key] = t = new Int128[meters.Count];
            for (int i = 0; i < meters.Count; i++) t[i] = checked(t[i] + meters[i].Finish(sums[catalog.SlotOf(meters[i], MinuteScope.Deployment)]));
        }
        return totals.Where(kv => kv.Value.Any(v => v != 0))
            .ToDictionary(kv => kv.Key, kv => MeterTotals.Of(meters.Select((m, i) => (m.Name, kv.Value[i]))));
    }
}
