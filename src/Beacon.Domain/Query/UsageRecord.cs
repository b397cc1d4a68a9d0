using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>One (bucket, dimension value) row of the answer. Names are resolved later.</summary>
public sealed record UsageRecord(
    long BucketStartMicros,
    long BucketEndMicros,
    string DimensionValue,
    Int128 Traces,
    Int128 Runs,
    Int128 Nodes,
    Int128 UptimeMicros)
{
    /// <summary>Sum of the overlaps of all windows with the bucket, rounded to the nearest second.</summary>
    public Int128 UptimeSeconds => WindowSplit.RoundToSeconds(UptimeMicros);
}
