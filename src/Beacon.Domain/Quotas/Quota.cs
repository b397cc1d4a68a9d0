namespace Beacon.Domain.Quotas;

/// <summary>A monthly allowance on one quota metric of a license (a catalog meter, or <c>traces</c>). It never blocks usage; it is watched.</summary>
public sealed record Quota(string Metric, long Limit);
