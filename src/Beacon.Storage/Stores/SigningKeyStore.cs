using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Beacon.Storage.Client;

namespace Beacon.Storage.Stores;

/// <summary>An ES256 key pair (P-256, base64url coordinates). <see cref="D"/> is the private part.</summary>
public sealed record SigningKeyMaterial(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("d")] string D,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y);

/// <summary>
/// The token signing keys, current first then the previous one, in one blob. Updates are conditional
/// (create-only the first time, then If-Match), so two instances starting together agree on one key.
/// </summary>
public sealed class SigningKeyStore(Tables tables)
{
    private const string Blob = "signing-keys.json";

    public async Task<(IReadOnlyList<SigningKeyMaterial> Keys, ETag ETag)?> LoadAsync(CancellationToken ct = default)
    {
        await using var download = await tables.Keys.DownloadAsync(Blob, ct);
        if (download is null) return null;
        var keys = await JsonSerializer.DeserializeAsync<List<SigningKeyMaterial>>(download.Content, cancellationToken: ct) ?? [];
        return (keys, download.Properties.ETag);
    }

    /// <summary>Saves the key list; false when someone else changed it first (reload and retry).</summary>
    public async Task<bool> TrySaveAsync(IReadOnlyList<SigningKeyMaterial> keys, ETag? ifMatch, CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(keys);
        var condition = ifMatch is { } e ? BlobCondition.Matching(e) : BlobCondition.CreateOnly;
        return await tables.Keys.PutAsync(Blob, body, "application/json", condition: condition, ct: ct) is not null;
    }
}
