namespace Beacon.Api.Operator;

/// <summary>The answer of GET /api/v1/operator/licenses.</summary>
internal sealed record LicenseList(IReadOnlyList<LicenseView> Licenses);
