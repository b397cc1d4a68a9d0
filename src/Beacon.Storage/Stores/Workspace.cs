namespace Beacon.Storage.Stores;

/// <summary>A workspace of an org (its id is the platform's <c>tenant_id</c>); the name may be empty until an operator sets it.</summary>
public sealed record Workspace(string WorkspaceId, string Name);
