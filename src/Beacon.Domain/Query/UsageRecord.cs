namespace Beacon.Domain.Query;

/// <summary>
/// One (bucket, dimension value) row of the answer. <see cref="Values"/> are the meters of the query's
/// kind as shown (<c>MeterCatalog.MetersOf</c> order, uptime in rounded seconds, distinct minutes at the
/// grouping's scope). Names are resolved later. Equal when every field and value is.
/// </summary>
public sealed record UsageRecord(long BucketStartMicros, long BucketEndMicros, string DimensionValue, IReadOnlyList<Int128> Values)
{
    public bool Equals(UsageRecord? other) =>
        other is not null && BucketStartMicros == other.BucketStartMicros && BucketEndMicros == other.BucketEndMicros
        && DimensionValue == other.DimensionValue && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(BucketStartMicros, BucketEndMicros, DimensionValue, Values.Count > 0 ? Values[0] : 0);
}
