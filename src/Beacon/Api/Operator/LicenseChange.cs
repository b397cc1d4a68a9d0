namespace Beacon.Api.Operator;

/// <summary>The answer of a license action: its status and expiry now.</summary>
internal sealed record LicenseChange(string LicenseId, string OrgId, string Status, DateTimeOffset? ExpiresAt);
