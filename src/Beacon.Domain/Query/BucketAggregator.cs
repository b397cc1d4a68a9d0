namespace Beacon.Domain.Query;

/// <summary>
/// Adds the cells of one bucket into records, one per dimension value with any usage, ordered by
/// dimension value (ordinal). The caller applies the workspace and tier filters before adding.
/// </summary>
public sealed class BucketAggregator(GroupBy groupBy)
{
    private readonly Dictionary<string, (Int128 Traces, Int128 Runs, Int128 Nodes, Int128 Uptime)> _totals = new(StringComparer.Ordinal);

    public void Add(UsageCell cell)
    {
        var key = cell.DimensionValue(groupBy);
        var t = _totals.GetValueOrDefault(key);
        _totals[key] = (checked(t.Traces + cell.Traces), checked(t.Runs + cell.Runs), checked(t.Nodes + cell.Nodes), checked(t.Uptime + cell.UptimeMicros));
    }

    public IReadOnlyList<UsageRecord> Drain(long bucketStart, long bucketEnd)
    {
        var records = _totals
            .Where(kv => kv.Value.Traces > 0 || kv.Value.Runs > 0 || kv.Value.Nodes > 0 || kv.Value.Uptime > 0)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new UsageRecord(bucketStart, bucketEnd, kv.Key, kv.Value.Traces, kv.Value.Runs, kv.Value.Nodes, kv.Value.Uptime))
            .ToList();
        _totals.Clear();
        return records;
    }
}
