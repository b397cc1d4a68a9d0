using Beacon.Domain.Credentials;

namespace Beacon.Storage.Stores;

/// <summary>Who reported usage: the credential, and for API keys the key's user and display form.</summary>
public sealed record Reporter(string CredentialKind, string CredentialId, string UserId, string ApiKeyShortKey)
{
    public static Reporter ForLicense(string licenseId) => new("license", licenseId, "", "");

    public static Reporter ForApiKey(ApiKeyRecord key) => new("apikey", key.KeyId, key.UserId, key.ShortKey);
}
