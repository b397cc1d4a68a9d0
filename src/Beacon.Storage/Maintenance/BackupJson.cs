using System.Text.Json.Serialization;

namespace Beacon.Storage.Maintenance;

/// <summary>A backup folder's JSON files (the manifest, each container's content types), generated at compile time (ADR 0001).</summary>
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BackupJson : JsonSerializerContext;
