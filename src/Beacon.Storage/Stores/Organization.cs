namespace Beacon.Storage.Stores;

/// <summary>
/// A customer organization: everything else is scoped to one. <see cref="DefaultWorkspaceId"/> is
/// where usage without a workspace shows; null only for an org created before defaults existed and not
/// upgraded yet (<see cref="DirectoryStore.EnsureDefaultWorkspaceAsync"/>).
/// </summary>
public sealed record Organization(string OrgId, string Name, DateOnly CreatedDay, string? DefaultWorkspaceId = null)
{
    /// <summary>When the org was created; null for an org created before the time was kept (only its day is known).</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}
