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

    /// <summary>
    /// What is wrong with a connection string, in one sentence, or null when it looks usable. Checked
    /// before start without loading the storage SDKs (they would fail later, deep in a background
    /// service, with a stack trace instead of the setting's name).
    /// </summary>
    public static string? ProblemWith(string connectionString)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return $"'{(part.Length > 40 ? part[..40] + "…" : part)}' is not a Name=value pair.";
            pairs[part[..eq]] = part[(eq + 1)..];
        }
        if (pairs.TryGetValue("UseDevelopmentStorage", out var dev)) return dev.Equals("true", StringComparison.OrdinalIgnoreCase) ? null : "UseDevelopmentStorage may only be true.";
        if (pairs.TryGetValue("AccountKey", out var key) && !IsBase64(key)) return "AccountKey is not base64 (copy it again from the storage account's access keys).";
        foreach (var name in new[] { "TableEndpoint", "BlobEndpoint" })
            if (pairs.TryGetValue(name, out var uri) && !Uri.TryCreate(uri, UriKind.Absolute, out _)) return $"{name} is not an absolute URL.";
        if (!pairs.ContainsKey("AccountName") && !(pairs.ContainsKey("TableEndpoint") && pairs.ContainsKey("BlobEndpoint")))
            return "it names no AccountName (or TableEndpoint and BlobEndpoint).";
        if (!pairs.ContainsKey("AccountKey") && !pairs.ContainsKey("SharedAccessSignature"))
            return "it has neither an AccountKey nor a SharedAccessSignature (for managed identity, set AzureWebJobsStorage__accountName instead).";
        return null;
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out _);
    }
}
