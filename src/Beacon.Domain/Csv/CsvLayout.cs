using System.Globalization;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Domain.Csv;

/// <summary>
/// The CSV export's columns (SPEC §5): every dimension column is always present and only the
/// grouped one is populated. Cells are neutralized against spreadsheet formula evaluation.
/// </summary>
public static class CsvLayout
{
    private static readonly string[] DimensionHeader =
    [
        "Time Bucket Start", "Time Bucket End", "Workspace ID", "Workspace Name", "Project ID", "Project Name",
        "User ID", "User Email", "API Key Short Key",
    ];

    public static IReadOnlyList<string> Header(UsageKind kind) => kind == UsageKind.Traces
        ? [.. DimensionHeader, "Trace Tier", "Traces"]
        : [.. DimensionHeader, "Nodes Executed", "Agent Runs", "Agent Uptime (seconds)"];

    public static string[] Row(UsageKind kind, GroupBy groupBy, UsageRecord r, DimensionLabel label)
    {
        string id = label.Id ?? "", name = label.Name ?? "";
        var row = new string[kind == UsageKind.Traces ? 11 : 12];
        Array.Fill(row, "");
        row[0] = Timestamps.FormatUtcSeconds(r.BucketStartMicros);
        row[1] = Timestamps.FormatUtcSeconds(r.BucketEndMicros);
        switch (groupBy)
        {
            case GroupBy.Workspace: row[2] = id; row[3] = name; break;
            case GroupBy.Project: row[4] = id; row[5] = name; break;
            case GroupBy.User: row[6] = id; row[7] = name; break;
            case GroupBy.ApiKey: row[8] = id; break;
            case GroupBy.TraceTier: row[9] = id; break;
        }
        if (kind == UsageKind.Traces)
        {
            row[10] = r.Traces.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            row[9] = r.Nodes.ToString(CultureInfo.InvariantCulture);
            row[10] = r.Runs.ToString(CultureInfo.InvariantCulture);
            row[11] = r.UptimeSeconds.ToString(CultureInfo.InvariantCulture);
        }
        for (int i = 0; i < row.Length; i++) row[i] = Neutralize(row[i]);
        return row;
    }

    /// <summary>
    /// A cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab, carriage return (the seed's rule)
    /// or line feed is prefixed with a tab so spreadsheets show it as text instead of evaluating it.
    /// </summary>
    public static string Neutralize(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? "\t" + value : value;

    /// <summary>A descriptive attachment name, e.g. <c>beacon_traces_by_project_2026-01-01_to_2026-01-31.csv</c>.</summary>
    public static string FileName(UsageQuery q)
    {
        var last = q.EndDay.AddDays(-1);
        var tier = q.Kind == UsageKind.Traces && q.TierFilter is { } t ? "_" + WireNames.Of(t) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"beacon_{WireNames.Of(q.Kind)}{tier}_by_{WireNames.Of(q.GroupBy)}_{q.StartDay:yyyy-MM-dd}_to_{last:yyyy-MM-dd}.csv");
    }
}
