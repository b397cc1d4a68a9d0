using System.Text.Json.Serialization;
using Beacon.Domain.Telemetry;

namespace Beacon.Storage.Stores;

/// <summary>
/// The JSON Beacon stores inside table properties, blobs and backup files, with its serialization code
/// generated at compile time and the serializer's default options (names as declared), so the stored text is
/// what the reflection-based serializer wrote before and natively compiled <c>beacon</c> reads and writes it
/// (ADR 0001). Webhook and audit data are string-keyed objects; their values' types are listed too.
/// </summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, long>))]
[JsonSerializable(typeof(SortedDictionary<string, long>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, long[]>))]
[JsonSerializable(typeof(List<long[]>))]
[JsonSerializable(typeof(long[][]))]
[JsonSerializable(typeof(Dictionary<string, object>[]))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(HistogramValue))]
[JsonSerializable(typeof(List<SigningKeyMaterial>))]
[JsonSerializable(typeof(IReadOnlyList<SigningKeyMaterial>))]
[JsonSerializable(typeof(ReportedUsageRow[]))]
// Values of object-typed entries.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(DateTimeOffset?))]
internal sealed partial class StorageJson : JsonSerializerContext;
