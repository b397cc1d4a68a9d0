namespace Beacon.Api.Billing;

/// <summary>One element of <c>GET /api/v1/workspaces</c>, in LangSmith's shape. The display name is the id when no name was set.</summary>
internal sealed record WorkspaceInfo(string Id, string DisplayName, string OrganizationId, bool IsPersonal, bool IsDefault);
