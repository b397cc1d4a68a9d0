namespace Beacon.Storage.Stores;

public enum LicenseStatus
{
    Active,
    Suspended,
    Revoked,
}

/// <summary>An API key as stored: never its plaintext, only the hash and a display form.</summary>
/// <param name="WorkspaceScope">The workspaces the key may touch; null means every workspace of the org.</param>
public sealed record ApiKeyRecord(
    string OrgId,
    string KeyId,
    string ShortKey,
    string UserId,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string>? WorkspaceScope,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    string Hash)
{
    public const string OrganizationRead = "organization:read";

    public bool IsRevoked => RevokedAt is not null;

    public bool Allows(string workspaceId) => WorkspaceScope is null || WorkspaceScope.Contains(workspaceId);
}

public sealed record LicenseRecord(
    string OrgId,
    string LicenseId,
    string Plan,
    IReadOnlyList<string> Entitlements,
    DateTimeOffset? ExpiresAt,
    LicenseStatus Status,
    DateTimeOffset CreatedAt,
    string Hash)
{
    /// <summary>Why the license cannot be used now, or null when it can.</summary>
    public string? RefusalReason(DateTimeOffset now) => Status switch
    {
        LicenseStatus.Suspended => "The license is suspended.",
        LicenseStatus.Revoked => "The license has been revoked.",
        _ when ExpiresAt is { } e && e <= now => "The license has expired.",
        _ => null,
    };
}
