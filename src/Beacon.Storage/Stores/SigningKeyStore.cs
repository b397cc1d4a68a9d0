using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;

namespace Beacon.Storage.Stores;

/// <summary>
/// The token signing keys, current first then the previous one, in one blob. Updates are conditional
/// (create-only the first time, then If-Match), so two instances starting together agree on one key.
/// </summary>
public sealed class SigningKeyStore(Tables tables)
{
    private const string Blob = "signing-keys.json";

    public async Task<(IReadOnlyList<SigningKeyMaterial> Keys, ETag ETag)?> LoadAsync(CancellationToken ct = default)
    {
        try
        {
            var download = await tables.Keys.GetBlobClient(Blob).DownloadContentAsync(ct);
            var keys = JsonSerializer.Deserialize(download.Value.Content.ToMemory().Span, StorageJson.Default.ListSigningKeyMaterial) ?? [];
            return (keys, download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Saves the key list; false when someone else changed it first (reload and retry).</summary>
    public async Task<bool> TrySaveAsync(IReadOnlyList<SigningKeyMaterial> keys, ETag? ifMatch, CancellationToken ct = default)
    {
        var conditions = ifMatch is { } e ? new BlobRequestConditions { IfMatch = e } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await tables.Keys.GetBlobClient(Blob).UploadAsync(BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(keys, StorageJson.Default.IReadOnlyListSigningKeyMaterial)),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, ct);
            return true;
        }
        catch (RequestFailedException x) when (x.Status is 412 or 409)
        {
            return false;
        }
    }
}
