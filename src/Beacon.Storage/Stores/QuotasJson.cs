using System.Text.Json;
using Beacon.Domain.Quotas;

namespace Beacon.Storage.Stores;

/// <summary>A license's quotas as stored: <c>[{"metric":"agent_runs","limit":1000}]</c>.</summary>
internal static class QuotasJson
{
    public static string Write(IReadOnlyList<Quota> quotas) =>
        JsonSerializer.Serialize([.. quotas.Select(q => new Dictionary<string, object> { ["metric"] = q.Metric, ["limit"] = q.Limit })], StorageJson.Default.DictionaryStringObjectArray);

    public static IReadOnlyList<Quota> Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return [];
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(q => new Quota(q.GetProperty("metric").GetString() ?? "", q.GetProperty("limit").GetInt64()))];
    }
}
