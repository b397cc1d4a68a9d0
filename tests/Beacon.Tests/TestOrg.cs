using Beacon.Domain.Credentials;

namespace Beacon.Tests;

/// <summary>A test organization: two workspaces and its Default one, a user who reads all three, a license and the user's API key.</summary>
public sealed record TestOrg(
    string OrgId, string WorkspaceA, string WorkspaceB, string UserId, string LicenseKey, string LicenseId, string ApiKey, ApiKeyRecord ApiKeyRecord,
    string DefaultWorkspace);
