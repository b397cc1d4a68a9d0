namespace Beacon.Domain.Query;

/// <summary>
/// One (bucket, dimension value) row of the answer. <see cref="Values"/> are the meters of the query's
/// kind as shown (<c>MeterCatalog.MetersOf</c> order, uptime in rounded seconds, distinct minutes at the
/// grouping's scope). Names are resolved later.
/// </summary>
public sealed record UsageRecord(long BucketStartMicros, long BucketEndMicros, string DimensionValue, IReadOnlyList<Int128> Values);
