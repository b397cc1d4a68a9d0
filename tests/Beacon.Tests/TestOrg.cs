using Beacon.Domain.Credentials;

namespace Beacon.Tests;

/// <summary>A test organization: two workspaces, a user who reads both, a license and an org-wide API key.</summary>
public sealed record TestOrg(
    string OrgId, string WorkspaceA, string WorkspaceB, string UserId, string LicenseKey, string LicenseId, string ApiKey, ApiKeyRecord ApiKeyRecord);
