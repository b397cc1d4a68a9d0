namespace Beacon.Storage.Stores;

public sealed record Organization(string OrgId, string Name, DateOnly CreatedDay);

public sealed record Workspace(string WorkspaceId, string Name);

/// <summary>A user and the workspaces they can read (an explicit list; empty means none).</summary>
public sealed record User(string UserId, string Email, IReadOnlyList<string> WorkspaceIds);

public sealed record Project(string ProjectId, string Name, string WorkspaceId);

/// <summary>What happened when a workspace id was claimed for an org.</summary>
public enum WorkspaceClaim
{
    OwnedByThisOrg,
    OwnedByAnotherOrg,
}
