using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Csv;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Api.Billing;

/// <summary>The JSON shape of one usage record, exactly as the seed document shows it.</summary>
internal static class UsageJson
{
    public static void WriteRecord(Utf8JsonWriter w, UsageQuery q, UsageRecord r, DimensionLabel label)
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
        if (q.Kind == UsageKind.Traces)
        {
            Number(w, "traces", r.Traces);
        }
        else
        {
            Number(w, "nodes_executed", r.Nodes);
            Number(w, "agent_runs", r.Runs);
            Number(w, "agent_uptime_seconds", r.UptimeSeconds);
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
