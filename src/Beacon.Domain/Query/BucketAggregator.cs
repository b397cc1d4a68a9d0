using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>
/// Adds the cells of one bucket into records, one per dimension value with any usage, ordered by
/// dimension value (ordinal). The caller applies the workspace and tier filters before adding.
/// </summary>
public sealed class BucketAggregator(MeterCatalog catalog, UsageKind kind, GroupBy groupBy)
{
    private readonly Dictionary<string, Int128[]> _totals = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<Meter> _meters = catalog.MetersOf(kind);
    private readonly int[] _slots = [.. catalog.MetersOf(kind).Select(m => catalog.SlotOf(m, Dimensions.ScopeOf(groupBy)))];

    public void Add(UsageCell cell)
    {
        var key = Dimensions.ValueOf(cell.Key, groupBy);
        if (!_totals.TryGetValue(key, out var sum)) _totals[key] = sum = new Int128[catalog.Slots.Count];
        cell.Values.AddTo(sum);
    }

    public IReadOnlyList<UsageRecord> Drain(long bucketStart, long bucketEnd)
    {
        var records = _totals
            .Where(kv => _slots.Any(s => kv.Value[s] > 0))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new UsageRecord(bucketStart, bucketEnd, kv.Key, [.. _meters.Select((m, i) => m.Finish(kv.Value[_slots[i]]))]))
            .ToList();
        _totals.Clear();
        return records;
    }
}
