namespace Beacon.Api.Billing;

/// <summary><c>GET /api/v1/orgs/current</c> in LangSmith's shape: the API key's organization.</summary>
internal sealed record OrganizationInfo(string Id, string DisplayName, bool IsPersonal, string CreatedAt, string? DefaultWorkspaceId);
