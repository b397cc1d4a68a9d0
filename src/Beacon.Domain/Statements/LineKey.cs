using Beacon.Domain.Usage;

namespace Beacon.Domain.Statements;

/// <summary>Who a statement line bills: an org, the license that reported (empty for API-key usage) and the usage's source.</summary>
public readonly record struct LineKey(string OrgId, string LicenseId, UsageSource Source = UsageSource.Metered)
{
    public LineKey(string orgId, LineId line) : this(orgId, line.LicenseId, line.Source) { }

    public LineId Line => new(LicenseId, Source);
}
