namespace Beacon.Storage.Stores;

/// <summary>A user and the workspaces they can read (an explicit list; empty means none).</summary>
public sealed record User(string UserId, string Email, IReadOnlyList<string> WorkspaceIds);
