using System.Globalization;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Csv;

/// <summary>
/// The CSV export's columns (SPEC §5): every dimension column is always present and only the grouped
/// one is populated; then the value columns of the kind's meters that have one (the seed's: <c>Traces</c>,
/// or <c>Nodes Executed, Agent Runs, Agent Uptime (seconds)</c>). Cells are neutralized against
/// spreadsheet formula evaluation.
/// </summary>
public sealed class CsvLayout(MeterCatalog catalog)
{
    private static readonly string[] DimensionHeader =
    [
        "Time Bucket Start", "Time Bucket End", "Workspace ID", "Workspace Name", "Project ID", "Project Name",
        "User ID", "User Email", "API Key Short Key",
    ];

    /// <summary>The value columns of <paramref name="kind"/>, in the order the export writes them after the dimension columns.</summary>
    public IReadOnlyList<GranularColumn> ValueColumns(UsageKind kind) => [.. catalog.GranularColumns(kind).Where(c => c.Field.CsvColumn is not null)];

    /// <summary>Trace usage has one more dimension column, the tier.</summary>
    private static bool HasTierColumn(UsageKind kind) => kind switch
    {
        UsageKind.Traces => true,
        UsageKind.Deployments => false,
    };

    public IReadOnlyList<string> Header(UsageKind kind) =>
        [.. DimensionHeader, .. HasTierColumn(kind) ? ["Trace Tier"] : Array.Empty<string>(), .. ValueColumns(kind).Select(c => c.Field.CsvColumn!)];

    public string[] Row(UsageKind kind, GroupBy groupBy, UsageRecord r, DimensionLabel label)
    {
        string id = label.Id ?? "", name = label.Name ?? "";
        var values = ValueColumns(kind).ToList();
        int dims = DimensionHeader.Length + (HasTierColumn(kind) ? 1 : 0);
        var row = new string[dims + values.Count];
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
            case GroupBy.License: throw new ArgumentException("The CSV export has no license column (SPEC §5 fixes its header).", nameof(groupBy));
        }
        for (int i = 0; i < values.Count; i++)
        {
            Int128 sum = 0;
            foreach (var m in values[i].MeterIndexes) sum += r.Values[m];
            row[dims + i] = sum.ToString(CultureInfo.InvariantCulture);
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
        var tier = q.Kind == UsageKind.Traces && q.TierFilter is { } t ? "_" + UsageNames.Of(t) : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"beacon_{UsageNames.Of(q.Kind)}{tier}_by_{WireNames.Of(q.GroupBy)}_{q.StartDay:yyyy-MM-dd}_to_{last:yyyy-MM-dd}.csv");
    }
}
