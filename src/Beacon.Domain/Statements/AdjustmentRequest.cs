namespace Beacon.Domain.Statements;

/// <summary>
/// A manual adjustment as an operator asks for it (SPEC §13), well-formed: an org, a license (null for usage
/// reported with an API key), a meter of the catalog, a non-zero delta, a month that has started and a reason.
/// Whether the org and license exist is the caller's to check.
/// </summary>
public sealed record AdjustmentRequest(string OrgId, string? LicenseId, string Metric, long Delta, Month ForMonth, string Reason);
