using System.Text.Json.Serialization;

namespace Beacon.Storage.Maintenance;

/// <summary>A backup folder's <c>manifest.json</c>: its format, and how many entities and blobs each table and container held.</summary>
internal sealed record BackupManifest(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("tables")] SortedDictionary<string, long> Tables,
    [property: JsonPropertyName("blobs")] SortedDictionary<string, long> Blobs);
