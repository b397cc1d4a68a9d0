namespace Beacon.Storage.Stores;

/// <summary>A deployment or tracer session seen in usage; the name is empty until an operator sets it.</summary>
public sealed record Project(string ProjectId, string Name, string WorkspaceId);
