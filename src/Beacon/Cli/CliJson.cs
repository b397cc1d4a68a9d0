using System.Text.Json.Nodes;

namespace Beacon.Cli;

/// <summary>
/// The pieces of a command's <c>--json</c> object that are not plain values. Commands build their output as
/// <see cref="JsonObject"/>s, which natively compiled beacon writes without reflection (ADR 0001); the field
/// names are SPEC §8's, written where each command builds its object.
/// </summary>
internal static class CliJson
{
    public static JsonArray? Strings(IEnumerable<string>? values) => values is null ? null : new JsonArray([.. values.Select(v => (JsonNode?)v)]);

    public static JsonArray Objects<T>(IEnumerable<T> items, Func<T, JsonObject> shape) => new([.. items.Select(i => (JsonNode?)shape(i))]);

    public static JsonObject Counts(IReadOnlyDictionary<string, long> counts) => new(counts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
}
