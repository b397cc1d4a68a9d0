using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Beacon.Domain.Telemetry;

namespace Beacon.Storage.Stores;

/// <summary>
/// The JSON of telemetry attributes as stored (a record's whole detail, or a series' attribute set), always
/// small enough for one table property: every part is bounded when received, but escaping can still grow
/// text up to six times, so when the whole is over <see cref="MaxChars"/> the attributes are replaced by a
/// note saying they were dropped. (Cutting the JSON text instead would make it unreadable.)
/// </summary>
public static class StoredDetail
{
    /// <summary>A table string property holds 64 KiB (32 K UTF-16 characters); this leaves room.</summary>
    public const int MaxChars = 30_000;

    public static string Of<T>(IReadOnlyDictionary<string, string> attributes, Func<IReadOnlyDictionary<string, string>, T> shape, JsonTypeInfo<T> info)
    {
        var json = JsonSerializer.Serialize(shape(attributes), info);
        if (json.Length <= MaxChars) return json;
        return JsonSerializer.Serialize(shape(new Dictionary<string, string>
        {
            [TelemetryPolicy.DroppedAttributes] = $"all {attributes.Count}: too large to store",
        }), info);
    }
}
