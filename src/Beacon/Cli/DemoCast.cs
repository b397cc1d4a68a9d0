using Beacon.Domain.Credentials;

namespace Beacon.Cli;

/// <summary>Who's who in the demo organization: what its usage is reported by and into.</summary>
internal sealed record DemoCast(
    string OrgId,
    IReadOnlyDictionary<string, string> Workspaces,
    string LicenseKey,
    string LicenseId,
    ApiKeyRecord GraceKey,
    ApiKeyRecord LinusKey,
    IReadOnlyList<(string User, string Short)> People);
