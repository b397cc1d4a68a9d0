using System.Globalization;
using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Reports;

/// <summary>
/// Validates a self-reported file whole (SPEC §17): the records of the granular usage export's CSV, header
/// first. The header must be one of the export's; every row one whole UTC day from 2020-01-01 to today of
/// one workspace or one project (the file sticks to one grouping), counts whole numbers from 0 to 10^12.
/// Every bad row is reported, numbered from 1 for the first data row (the header is row 0); one bad row
/// refuses the file.
/// </summary>
public static class ReportedUsageParser
{
    // The export's dimension columns, by position (CsvLayout writes them in this order).
    private const int Start = 0, End = 1, WorkspaceId = 2, WorkspaceName = 3, ProjectId = 4, ProjectName = 5, UserId = 6, UserEmail = 7, ApiKey = 8;

    public static Validated<ReportedUsage> Parse(MeterCatalog catalog, IReadOnlyList<string[]> records, DateOnly today)
    {
        if (records.Count == 0) return Fail(0, "The file is empty: its first line must be the header of a granular usage export.");
        var layout = new CsvLayout(catalog);
        var header = records[0].Select((h, i) => i == 0 ? h.TrimStart('\uFEFF') : h).ToArray();
        UsageKind? kind = Enum.GetValues<UsageKind>().Cast<UsageKind?>().FirstOrDefault(k => layout.Header(k!.Value).SequenceEqual(header, StringComparer.Ordinal));
        if (kind is not { } k)
            return Fail(0, "The header is not one of the granular usage export's: " + string.Join(" | ",
                Enum.GetValues<UsageKind>().Select(x => string.Join(",", layout.Header(x)))) + ".");
        if (records.Count == 1) return Fail(0, "The file has a header and no rows: it covers no day.");
        if (records.Count - 1 > ReportLimits.MaxRows)
            return Fail(0, $"The file has {records.Count - 1} rows; a report holds at most {ReportLimits.MaxRows} (split it by month).");

        int values = layout.ValueColumns(k).Count;
        int firstValue = header.Length - values;
        var errors = new List<FieldError>();
        var rows = new List<ReportedRow>();
        var seen = new Dictionary<(DateOnly, string, string), int>();
        var groupsPerDay = new Dictionary<DateOnly, int>();
        var grouping = ReportGrouping.None;
        int groupingRow = 0;
        for (int n = 1; n < records.Count; n++)
        {
            var r = records[n];
            var problems = new List<string>();
            if (r.Length != header.Length)
            {
                errors.Add(new FieldError(RowName(n), $"has {r.Length} fields; the header has {header.Length}."));
                continue;
            }
            var day = Day(r[Start], r[End], today, problems);
            for (int c = UserId; c < firstValue; c++)
                if (r[c].Length > 0) problems.Add($"'{header[c]}' must be empty: only files grouped by workspace or by project can be imported.");
            var ws = "";
            if (r[WorkspaceId].Length > 0 && !Ids.TryNormalizeUuid(r[WorkspaceId], out ws)) problems.Add("'Workspace ID' must be a workspace UUID.");
            if (!Ids.TryNormalizeProjectId(Plain(r[ProjectId]), out var project)) problems.Add($"'Project ID' must be printable and at most 256 characters.");
            var wsName = Name(r[WorkspaceName], "Workspace Name", problems);
            var projectName = Name(r[ProjectName], "Project Name", problems);
            if (r[WorkspaceId].Length == 0 && wsName.Length > 0) problems.Add("'Workspace Name' is given without a 'Workspace ID'.");
            if (r[ProjectId].Length == 0 && projectName.Length > 0) problems.Add("'Project Name' is given without a 'Project ID'.");
            var rowGrouping = (r[WorkspaceId].Length > 0, r[ProjectId].Length > 0) switch
            {
                (true, true) => (ReportGrouping?)null,
                (true, false) => ReportGrouping.Workspace,
                (false, true) => ReportGrouping.Project,
                _ => ReportGrouping.None,
            };
            if (rowGrouping is null) problems.Add("names both a workspace and a project: an export grouped by workspace or by project fills one of them.");
            else if (rowGrouping != ReportGrouping.None)
            {
                if (grouping == ReportGrouping.None) (grouping, groupingRow) = (rowGrouping.Value, n);
                else if (grouping != rowGrouping)
                    problems.Add($"is grouped by {Name(rowGrouping.Value)}, but row {groupingRow} is grouped by {Name(grouping)}: a file uses one grouping.");
            }
            var counts = new long[values];
            for (int v = 0; v < values; v++)
            {
                var text = Plain(r[firstValue + v]);
                if (text.StartsWith('-') && text.Length > 1 && text[1..].All(char.IsAsciiDigit)) problems.Add($"'{header[firstValue + v]}' is negative.");
                else if (text.Length is 0 or > 13 || !text.All(char.IsAsciiDigit) || (counts[v] = long.Parse(text, CultureInfo.InvariantCulture)) > ReportLimits.MaxCount)
                    problems.Add($"'{header[firstValue + v]}' must be a whole number from 0 to {ReportLimits.MaxCount}.");
            }
            if (day is { } d && rowGrouping is not null)
            {
                if (seen.TryGetValue((d, ws, project), out var earlier)) problems.Add($"repeats row {earlier}: the same day and {Name(rowGrouping.Value)}.");
                else
                {
                    seen[(d, ws, project)] = n;
                    if ((groupsPerDay[d] = groupsPerDay.GetValueOrDefault(d) + 1) > ReportLimits.MaxGroupsPerDay)
                        problems.Add($"is the {groupsPerDay[d]}th row of {d:yyyy-MM-dd}; a day holds at most {ReportLimits.MaxGroupsPerDay} rows.");
                }
            }
            if (problems.Count > 0) errors.Add(new FieldError(RowName(n), string.Join(" ", problems)));
            else rows.Add(new ReportedRow(day!.Value, ws, wsName, project, projectName, counts));
        }
        if (errors.Count == 0 && rows.Select(r => r.Day).Distinct().Count() > ReportLimits.MaxDays)
            errors.Add(new FieldError(RowName(0), $"The file covers {rows.Select(r => r.Day).Distinct().Count()} days; a report covers at most {ReportLimits.MaxDays} (split it by year)."));
        return errors.Count > 0 ? Validated<ReportedUsage>.Fail(errors) : Validated<ReportedUsage>.Ok(new ReportedUsage(k, grouping, rows));
    }

    /// <summary>The field name a bad row is reported under.</summary>
    public static string RowName(int n) => "row " + n.ToString(CultureInfo.InvariantCulture);

    private static DateOnly? Day(string start, string end, DateOnly today, List<string> problems)
    {
        const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";
        if (!DateTime.TryParseExact(start, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var s)
            || !DateTime.TryParseExact(end, Format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var e))
        {
            problems.Add("'Time Bucket Start' and 'Time Bucket End' must be UTC times like 2026-11-01T00:00:00Z.");
            return null;
        }
        if (s.TimeOfDay != TimeSpan.Zero || e != s.AddDays(1))
        {
            problems.Add("is not one whole UTC day: export with daily buckets (its start at 00:00:00Z, its end one day later).");
            return null;
        }
        var day = DateOnly.FromDateTime(s);
        if (day < ReportLimits.FirstDay) problems.Add($"is {day:yyyy-MM-dd}, before {ReportLimits.FirstDay:yyyy-MM-dd}.");
        else if (day > today) problems.Add($"is {day:yyyy-MM-dd}, a day in the future (today is {today:yyyy-MM-dd} UTC).");
        else return day;
        return null;
    }

    private static string Name(string cell, string column, List<string> problems)
    {
        var name = Plain(cell);
        if (name.Length > ReportLimits.MaxNameLength || name.Any(char.IsControl))
        {
            problems.Add($"'{column}' must be printable and at most {ReportLimits.MaxNameLength} characters.");
            return "";
        }
        return name;
    }

    private static string Name(ReportGrouping g) => g == ReportGrouping.Workspace ? "workspace" : "project";

    /// <summary>A cell as it was before the export neutralized it against formula evaluation (CsvLayout.Neutralize).</summary>
    private static string Plain(string cell) =>
        cell.Length > 1 && cell[0] == '\t' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? cell[1..] : cell;

    private static Validated<ReportedUsage> Fail(int row, string message) => Validated<ReportedUsage>.Fail([new FieldError(RowName(row), message)]);
}
