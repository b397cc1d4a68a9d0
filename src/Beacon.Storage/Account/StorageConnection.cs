using Azure.Core;
using Azure.Identity;

namespace Beacon.Storage.Account;

/// <summary>
/// Where the storage account is and how to reach it, by the Azure Functions convention: the setting
/// <c>AzureWebJobsStorage</c> is a connection string (<c>UseDevelopmentStorage=true</c> means Azurite on
/// its default ports), or <c>AzureWebJobsStorage__accountName</c> / <c>__tableServiceUri</c> +
/// <c>__blobServiceUri</c> (optionally <c>__credential=managedidentity</c> and <c>__clientId</c>) select
/// identity-based access with a <see cref="TokenCredential"/>, so no account key exists in production.
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableServiceUri, Uri? BlobServiceUri, TokenCredential? Credential)
{
    public const string DefaultPrefix = "AzureWebJobsStorage";

    /// <param name="setting">Reads a configuration value by name (e.g. <c>AzureWebJobsStorage__accountName</c>).</param>
    public static StorageConnection FromSettings(Func<string, string?> setting, string prefix = DefaultPrefix)
    {
        var connectionString = setting(prefix);
        if (!string.IsNullOrWhiteSpace(connectionString)) return new StorageConnection(connectionString, null, null, null);

        var account = setting($"{prefix}__accountName");
        var table = setting($"{prefix}__tableServiceUri");
        var blob = setting($"{prefix}__blobServiceUri");
        if (string.IsNullOrEmpty(account) && (string.IsNullOrEmpty(table) || string.IsNullOrEmpty(blob)))
            throw new InvalidOperationException(
                $"Storage is not configured: set {prefix} (a connection string, or UseDevelopmentStorage=true for Azurite), " +
                $"or {prefix}__accountName (or {prefix}__tableServiceUri and {prefix}__blobServiceUri) for identity-based access.");

        var clientId = setting($"{prefix}__clientId");
        var credentialKind = setting($"{prefix}__credential");
        TokenCredential credential = string.Equals(credentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrEmpty(clientId) ? null : clientId });
        return new StorageConnection(
            null,
            new Uri(string.IsNullOrEmpty(table) ? $"https://{account}.table.core.windows.net" : table),
            new Uri(string.IsNullOrEmpty(blob) ? $"https://{account}.blob.core.windows.net" : blob),
            credential);
    }

    public bool IsIdentityBased => ConnectionString is null;
}
