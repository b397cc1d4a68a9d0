using Azure.Core;
using Azure.Identity;

namespace Beacon.Storage.Client;

/// <summary>
/// Where the storage account is and how to authenticate, from the Functions connection convention:
/// <c>AzureWebJobsStorage</c> as a connection string (<c>UseDevelopmentStorage=true</c> means Azurite on
/// its default ports), or <c>AzureWebJobsStorage__accountName</c> / <c>__tableServiceUri</c> /
/// <c>__blobServiceUri</c> (+ optional <c>__clientId</c>) for identity-based access with a
/// <see cref="TokenCredential"/>. An account key never needs to exist in production.
/// </summary>
public sealed record StorageEndpoints(Uri TableUri, Uri BlobUri, string AccountName, byte[]? AccountKey, TokenCredential? Credential)
{
    public const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>Azurite's published, well-known development key (not a secret).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <param name="setting">Reads a configuration value by name (e.g. <c>AzureWebJobsStorage__accountName</c>).</param>
    public static StorageEndpoints FromSettings(Func<string, string?> setting, string prefix = "AzureWebJobsStorage")
    {
        var connectionString = setting(prefix);
        if (!string.IsNullOrWhiteSpace(connectionString)) return FromConnectionString(connectionString);

        var account = setting($"{prefix}__accountName");
        var table = setting($"{prefix}__tableServiceUri");
        var blob = setting($"{prefix}__blobServiceUri");
        if (account is null && (table is null || blob is null))
            throw new InvalidOperationException(
                $"Storage is not configured: set {prefix} (a connection string, or UseDevelopmentStorage=true for Azurite) " +
                $"or {prefix}__accountName for identity-based access.");

        var tableUri = new Uri(table ?? $"https://{account}.table.core.windows.net");
        var blobUri = new Uri(blob ?? $"https://{account}.blob.core.windows.net");
        var clientId = setting($"{prefix}__clientId");
        TokenCredential credential = clientId is null
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new StorageEndpoints(tableUri, blobUri, account ?? tableUri.Host.Split('.')[0], null, credential);
    }

    public static StorageEndpoints FromConnectionString(string connectionString)
    {
        var parts = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase))
            return Azurite("127.0.0.1", 10002, 10000);

        if (!parts.TryGetValue("AccountName", out var name) || !parts.TryGetValue("AccountKey", out var key))
            throw new InvalidOperationException("The storage connection string needs AccountName and AccountKey (or UseDevelopmentStorage=true).");
        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https");
        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        var tableUri = new Uri(parts.GetValueOrDefault("TableEndpoint") ?? $"{protocol}://{name}.table.{suffix}");
        var blobUri = new Uri(parts.GetValueOrDefault("BlobEndpoint") ?? $"{protocol}://{name}.blob.{suffix}");
        return new StorageEndpoints(tableUri, blobUri, name, Convert.FromBase64String(key), null);
    }

    /// <summary>Azurite's path-style endpoints on the given ports.</summary>
    public static StorageEndpoints Azurite(string host, int tablePort, int blobPort) => new(
        new Uri($"http://{host}:{tablePort}/{DevelopmentAccount}"),
        new Uri($"http://{host}:{blobPort}/{DevelopmentAccount}"),
        DevelopmentAccount,
        Convert.FromBase64String(DevelopmentKey),
        null);

    /// <summary>A connection string for these endpoints (only when key-based), e.g. to hand to a child process.</summary>
    public string ToConnectionString() => AccountKey is null
        ? throw new InvalidOperationException("Identity-based endpoints have no connection string.")
        : $"DefaultEndpointsProtocol={TableUri.Scheme};AccountName={AccountName};AccountKey={Convert.ToBase64String(AccountKey)};" +
          $"TableEndpoint={TableUri.AbsoluteUri.TrimEnd('/')};BlobEndpoint={BlobUri.AbsoluteUri.TrimEnd('/')};";
}
