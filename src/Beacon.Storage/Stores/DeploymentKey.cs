namespace Beacon.Storage.Stores;

/// <summary>A deployment (SPEC §12): the reporting credential (a license or an API key), the workspace and the project.</summary>
public sealed record DeploymentKey(string CredentialKind, string CredentialId, string WorkspaceId, string ProjectId)
{
    public static DeploymentKey Of(Reporter reporter, string workspaceId, string projectId) =>
        new(reporter.CredentialKind, reporter.CredentialId, workspaceId, projectId);

    public string? LicenseId => CredentialKind == "license" ? CredentialId : null;
    public string? ApiKeyId => CredentialKind == "apikey" ? CredentialId : null;

    public string RowKey => $"{CredentialKind}:{CredentialId}|{KeyPart.Of(WorkspaceId)}|{KeyPart.Of(ProjectId)}";
}
