using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>
/// Validates the query parameters of the granular usage endpoints and applies the day-granular
/// contract: <c>start_time</c> rounds down to its UTC midnight, <c>end_time</c> up to the next one.
/// Every error names its parameter; all are reported at once.
/// </summary>
public static class UsageQueryParser
{
    /// <param name="values">All values given for a parameter name (empty when absent).</param>
    public static Validated<UsageQuery> Parse(Func<string, IReadOnlyList<string>> values)
    {
        var errors = new List<FieldError>();

        long start = ReadTime("start_time", values, errors);
        long end = ReadTime("end_time", values, errors);
        if (errors.Count == 0 && end <= start)
            errors.Add(new FieldError("end_time", "Must be after start_time."));

        var kind = UsageKind.Traces;
        var kindText = Single("kind", values, errors);
        if (kindText is not null && !UsageNames.TryParseKind(kindText, out kind))
            errors.Add(new FieldError("kind", "Must be 'traces' or 'langsmith_deployments'."));

        var groupBy = GroupBy.Workspace;
        var groupText = Single("group_by", values, errors);
        if (groupText is not null && !WireNames.TryParseGroupBy(groupText, out groupBy))
            errors.Add(new FieldError("group_by", "Must be one of workspace, project, user, api_key, trace_tier, license."));
        else if (groupBy == GroupBy.TraceTier && kind == UsageKind.Deployments)
            errors.Add(new FieldError("group_by", "trace_tier grouping applies only to kind=traces."));

        TraceTier? tier = null;
        var tierText = Single("trace_tier", values, errors);
        // The tier filter is ignored for deployments, as the seed document says.
        if (tierText is not null && kind == UsageKind.Traces)
        {
            if (UsageNames.TryParseTier(tierText, out var t)) tier = t;
            else errors.Add(new FieldError("trace_tier", "Must be 'longlived' or 'shortlived'."));
        }

        var workspaces = ReadWorkspaces(values, errors);

        long normStart = 0, normEnd = 0;
        if (errors.Count == 0)
        {
            normStart = Timestamps.StartOfDay(Timestamps.DayOf(start));
            var endDay = Timestamps.DayOf(end);
            normEnd = Timestamps.StartOfDay(endDay) == end ? end : Timestamps.StartOfDay(endDay.AddDays(1));
            var limit = Timestamps.DayOf(normStart).AddYears(Limits.MaxQueryYears);
            if (Timestamps.DayOf(normEnd) > limit)
                errors.Add(new FieldError("end_time", $"The range may span at most {Limits.MaxQueryYears} years."));
        }

        return errors.Count > 0
            ? Validated<UsageQuery>.Fail(errors)
            : Validated<UsageQuery>.Ok(new UsageQuery(kind, groupBy, tier, normStart, normEnd, workspaces));
    }

    private static string? Single(string name, Func<string, IReadOnlyList<string>> values, List<FieldError> errors)
    {
        var v = values(name);
        if (v.Count == 0) return null;
        if (v.Count > 1)
        {
            errors.Add(new FieldError(name, "Must be given once."));
            return null;
        }
        return v[0];
    }

    private static long ReadTime(string name, Func<string, IReadOnlyList<string>> values, List<FieldError> errors)
    {
        var text = Single(name, values, errors);
        if (text is null)
        {
            if (!errors.Any(e => e.Field == name)) errors.Add(new FieldError(name, "Required."));
            return 0;
        }
        if (!Timestamps.TryParseQueryTime(text, out long micros))
        {
            // A '+' in a query string means a space: "…T00:00:00+02:00" arrives as "…T00:00:00 02:00".
            var plus = text.Contains(' ', StringComparison.Ordinal) && Timestamps.TryParseQueryTime(text.Replace(' ', '+'), out _);
            errors.Add(new FieldError(name, plus
                ? $"'{text}' looks like a '+' offset that was not URL-encoded (a '+' in a query string reads as a space): write %2B, e.g. {text.Replace(" ", "%2B", StringComparison.Ordinal)}, or use Z."
                : "Must be an ISO 8601 date-time with a UTC offset (e.g. 2026-01-01T00:00:00Z) or a date."));
            return 0;
        }
        return micros;
    }

    private static List<string> ReadWorkspaces(Func<string, IReadOnlyList<string>> values, List<FieldError> errors)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        var raw = values("workspace_ids").Concat(values("workspace_ids[]"));
        foreach (var part in raw.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Ids.TryNormalizeUuid(part, out var id)) set.Add(id);
            else
            {
                errors.Add(new FieldError("workspace_ids", "Every workspace id must be a UUID."));
                return [];
            }
        }
        if (set.Count == 0) errors.Add(new FieldError("workspace_ids", "At least one workspace id is required."));
        return [.. set];
    }
}
