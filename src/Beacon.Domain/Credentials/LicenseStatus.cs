namespace Beacon.Domain.Credentials;

/// <summary>Where a license stands; only <see cref="Active"/> licenses verify and report.</summary>
public enum LicenseStatus
{
    Active,
    Suspended,
    Revoked,
}
