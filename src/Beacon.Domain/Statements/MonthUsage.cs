using Beacon.Domain.Meters;

namespace Beacon.Domain.Statements;

/// <summary>
/// Adds one org's one-day cells of a month into totals per key (a license for statement lines, a
/// deployment for the console; a cell whose key is null is left out). Each meter is finished per (key, UTC day) and then summed — uptime rounded
/// to seconds per day, distinct minutes at deployment scope — exactly as the granular usage API shows the
/// daily buckets of a month (its stride for a month is one day). So a statement line is the sum of that
/// API's records, and a customer can reproduce every number of an invoice from it.
/// </summary>
public sealed class MonthUsage(MeterCatalog catalog, Func<CellKey, string?> keyOf)
{
    private readonly Dictionary<(string Key, DateOnly Day), Int128[]> _days = [];

    /// <summary>Statement lines: one per billed license (empty for API-key usage).</summary>
    public static MonthUsage ByLicense(MeterCatalog catalog) => new(catalog, k => k.LicenseId);

    public void Add(DateOnly day, UsageCell cell)
    {
        if (keyOf(cell.Key) is not { } key) return;
        var k = (key, day);
        if (!_days.TryGetValue(k, out var sum)) _days[k] = sum = new Int128[catalog.Slots.Count];
        cell.Values.AddTo(sum);
    }

    /// <summary>The totals per key (every meter present), only for keys with any usage.</summary>
    public IReadOnlyDictionary<string, MeterTotals> Totals()
    {
        var totals = new Dictionary<string, Int128[]>(StringComparer.Ordinal);
        var meters = catalog.Meters;
        foreach (var ((key, _), sums) in _days)
        {
            if (!totals.TryGetValue(key, out var t)) totals[key] = t = new Int128[meters.Count];
            for (int i = 0; i < meters.Count; i++) t[i] = checked(t[i] + meters[i].Finish(sums[catalog.SlotOf(meters[i], MinuteScope.Deployment)]));
        }
        return totals.Where(kv => kv.Value.Any(v => v != 0))
            .ToDictionary(kv => kv.Key, kv => MeterTotals.Of(meters.Select((m, i) => (m.Name, kv.Value[i]))), StringComparer.Ordinal);
    }
}
