using Beacon.Domain.Credentials;

namespace Beacon.Storage.Stores;

/// <summary>Who reported usage: the credential, and for API keys the key's user and display form.</summary>
public sealed record Reporter(string CredentialKind, string CredentialId, string UserId, string ApiKeyShortKey)
{
    /// <summary>The license that reported, or empty for an API key: what statements bill by (SPEC §13).</summary>
    public string LicenseId => CredentialKind == "license" ? CredentialId : "";

    /// <summary>The license id a stored record carries: its own column, or for records stored before it existed, its credential.</summary>
    public static string LicenseOf(string? licenseColumn, string? credential) =>
        licenseColumn ?? (credential is { } c && c.StartsWith("license:", StringComparison.Ordinal) ? c["license:".Length..] : "");

    public static Reporter ForLicense(string licenseId) => new("license", licenseId, "", "");

    public static Reporter ForApiKey(ApiKeyRecord key) => new("apikey", key.KeyId, key.UserId, key.ShortKey);
}
