namespace Beacon.Domain.Quotas;

/// <summary>A monthly allowance on one metric of a license. It never blocks usage; it is watched.</summary>
public sealed record Quota(QuotaMetric Metric, long Limit);
