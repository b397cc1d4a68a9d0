namespace Beacon.Api.Billing;

/// <summary>The answer of <c>GET /api/v1/orgs/current/workspaces</c>.</summary>
internal sealed record WorkspaceList(IReadOnlyList<WorkspaceItem> Workspaces);
