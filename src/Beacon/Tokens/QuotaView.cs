using Beacon.Domain.Quotas;

namespace Beacon.Tokens;

/// <summary>A quota as the license listing and the verify token show it (SPEC §13).</summary>
public sealed record QuotaView(string Metric, long Limit, Int128 Used, decimal Percent, Int128 Projected, string State)
{
    public static QuotaView Of(QuotaStatus s) => new(s.Metric, s.Limit, s.Used, s.Percent, s.Projected, QuotaNames.Of(s.State));
}
