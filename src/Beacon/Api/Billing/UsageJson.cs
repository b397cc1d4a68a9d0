using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Api.Billing;

/// <summary>
/// The JSON shape of one usage record as the seed document shows it: the time bucket, the grouped
/// dimension, then one field per granular field of the kind's meters in the catalog's order (the seed's
/// three for deployments, then <c>standby_minutes</c>).
/// </summary>
internal static class UsageJson
{
    public static void WriteRecord(Utf8JsonWriter w, MeterCatalog catalog, UsageQuery q, UsageRecord r, DimensionLabel label)
    {
        w.WriteStartObject();
        w.WriteString("time_bucket", Timestamps.FormatUtcSeconds(r.BucketStartMicros));
        w.WriteStartObject("dimensions");
        switch (q.GroupBy)
        {
            case GroupBy.Workspace: Pair(w, "workspace_id", label.Id, "workspace_name", label.Name); break;
            case GroupBy.Project: Pair(w, "project_id", label.Id, "project_name", label.Name); break;
            case GroupBy.User: Pair(w, "user_id", label.Id, "user_email", label.Name); break;
            case GroupBy.ApiKey: Nullable(w, "api_key_short_key", label.Id); break;
            case GroupBy.TraceTier: Nullable(w, "trace_tier", label.Id); break;
            case GroupBy.License: Nullable(w, "license_id", label.Id); break;
        }
        w.WriteEndObject();
        foreach (var column in catalog.GranularColumns(q.Kind))
        {
            Int128 sum = 0;
            foreach (var i in column.MeterIndexes) sum += r.Values[i];
            Number(w, column.Field.Name, sum);
        }
        w.WriteEndObject();
    }

    // Utf8JsonWriter has no Int128 overload; the invariant decimal text is a valid JSON number.
    private static void Number(Utf8JsonWriter w, string name, Int128 value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }

    private static void Pair(Utf8JsonWriter w, string idName, string? id, string nameName, string? name)
    {
        Nullable(w, idName, id);
        Nullable(w, nameName, name);
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
