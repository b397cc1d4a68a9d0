namespace Beacon.Domain.Credentials;

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

    /// <summary>Every permission a key can hold; without any, a key only reports usage.</summary>
    public static IReadOnlyList<string> KnownPermissions { get; } = [OrganizationRead];

    public bool IsRevoked => RevokedAt is not null;

    public bool Allows(string workspaceId) => WorkspaceScope is null || WorkspaceScope.Contains(workspaceId);

    public bool CanReadUsage => Permissions.Contains(OrganizationRead);
}
