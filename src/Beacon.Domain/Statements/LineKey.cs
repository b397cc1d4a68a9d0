namespace Beacon.Domain.Statements;

/// <summary>Who a statement line bills: an org and the license that reported (empty for API-key usage).</summary>
public readonly record struct LineKey(string OrgId, string LicenseId);
