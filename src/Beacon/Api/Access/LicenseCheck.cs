using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>The outcome of presenting a license key: usable, known but refused (and why), or unknown.</summary>
internal sealed record LicenseCheck(LicenseRecord? License, string? RefusedBecause)
{
    public bool IsUsable => License is not null && RefusedBecause is null;

    public bool IsUnknown => License is null;
}
