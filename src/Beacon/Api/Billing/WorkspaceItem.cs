namespace Beacon.Api.Billing;

/// <summary>A workspace as the dashboard's filter lists it; the name is null when none was set.</summary>
internal sealed record WorkspaceItem(string WorkspaceId, string? WorkspaceName);
