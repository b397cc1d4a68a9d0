using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>One (bucket, dimension value) row of the answer. Names are resolved later.</summary>
public sealed record UsageRecord(
    long BucketStartMicros,
    long BucketEndMicros,
    string DimensionValue,
    long Traces,
    long Runs,
    long Nodes,
    long UptimeMicros)
{
    /// <summary>Sum of the overlaps of all windows with the bucket, rounded to the nearest second.</summary>
    public long UptimeSeconds => WindowSplit.RoundToSeconds(UptimeMicros);
}
