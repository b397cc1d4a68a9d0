namespace Beacon.Api.Operator;

/// <summary>
/// <c>GET /api/v1/operator/licenses/{id}/usage</c>: a license's usage in a UTC month by meter (its statement
/// line's numbers while the month is open), and per deployment (workspace and project).
/// </summary>
internal sealed record LicenseUsageView(string LicenseId, string OrgId, string Month, IReadOnlyDictionary<string, Int128> Meters, IReadOnlyList<DeploymentUsageView> Deployments);
