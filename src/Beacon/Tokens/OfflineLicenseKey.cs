namespace Beacon.Tokens;

/// <summary>An issued offline license key (shown once, never stored) and what it says.</summary>
public sealed record OfflineLicenseKey(string LicenseKey, string LicenseId, string Kid, DateTimeOffset ExpiresAt);
