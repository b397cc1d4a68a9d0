namespace Beacon.Api.Access;

/// <summary>What <c>POST /auth</c> tells a deployment about the API key's organization.</summary>
internal sealed record OrgConfig(
    string OrgId,
    string? OrgName,
    string? Plan,
    string ApiKeyShortKey,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string>? WorkspaceIds);
