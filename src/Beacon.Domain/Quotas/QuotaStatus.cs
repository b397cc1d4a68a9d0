using Beacon.Domain.Meters;
using Beacon.Domain.Statements;

namespace Beacon.Domain.Quotas;

/// <summary>
/// Where a quota stands in the current month: the usage so far, its share of the limit (rounded down
/// to 0.1 %, so a quota never looks further along than it is), a linear projection to the month's
/// end, and the state. Integer arithmetic throughout: the state at exactly 80 % or 100 % is exact.
/// </summary>
public sealed record QuotaStatus(string Metric, long Limit, Int128 Used, decimal Percent, Int128 Projected, QuotaState State)
{
    /// <summary>The quota's metric out of a license's month totals: the sum of the meters that count towards it (traces: both tiers).</summary>
    public static Int128 UsedOf(MeterCatalog catalog, string metric, MeterTotals totals) =>
        catalog.MetersOfQuota(metric).Aggregate((Int128)0, (sum, m) => checked(sum + totals.Get(m.Name)));

    /// <param name="used">The license's usage of the metric in <paramref name="month"/> so far.</param>
    /// <param name="nowMicros">Now; the projection scales the usage so far by month length ÷ time elapsed.</param>
    public static QuotaStatus Evaluate(Quota quota, Int128 used, Month month, long nowMicros)
    {
        Int128 limit = quota.Limit;
        var state = used >= limit ? QuotaState.Exceeded : used * 5 >= limit * 4 ? QuotaState.Warning : QuotaState.Ok;
        var tenths = used * 1000 / limit; // floor, used and limit are never negative
        var percent = (decimal)tenths / 10m;
        return new QuotaStatus(quota.Metric, quota.Limit, used, percent, Project(used, month, nowMicros), state);
    }

    /// <summary>Linear to the month's end, rounded half up; the usage itself once the month is over.</summary>
    public static Int128 Project(Int128 used, Month month, long nowMicros)
    {
        Int128 length = month.EndMicros - month.StartMicros;
        Int128 elapsed = Math.Clamp(nowMicros - month.StartMicros, 1, month.EndMicros - month.StartMicros);
        return (used * length + elapsed / 2) / elapsed;
    }
}
