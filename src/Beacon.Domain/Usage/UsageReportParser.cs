using System.Globalization;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>
/// Reads the body of <c>POST /v1/metadata/submit</c> in the real platform client's format and
/// collects every error at once. <paramref name="nowMicros"/> bounds how far ahead a window may end. Credentials are read by the caller; unknown fields are ignored.
/// </summary>
public static class UsageReportParser
{
    public static Validated<UsageReport> Parse(JsonElement body, long nowMicros)
    {
        var errors = new List<FieldError>();
        if (body.ValueKind != JsonValueKind.Object)
            return Validated<UsageReport>.Fail([new FieldError("$", "The body must be a JSON object.")]);

        long from = ReadTimestamp(body, "from_timestamp", errors);
        long to = ReadTimestamp(body, "to_timestamp", errors);
        var tags = ReadTags(body, errors);
        var (runs, nodes, others) = ReadMeasures(body, errors);
        var (logsJson, logCount) = ReadLogs(body, errors);

        string workspace = "", project = "";
        if (tags is not null)
        {
            var tenant = tags.GetValueOrDefault(UsageReport.TenantTag, "");
            if (tenant.Length > 0 && !Ids.TryNormalizeUuid(tenant, out workspace))
                errors.Add(new FieldError($"tags.{UsageReport.TenantTag}", "Must be a workspace UUID or empty."));
            var proj = tags.GetValueOrDefault(UsageReport.ProjectTag, "");
            if (!Ids.TryNormalizeProjectId(proj, out project))
                errors.Add(new FieldError($"tags.{UsageReport.ProjectTag}", "Must be at most 256 printable characters."));
        }

        if (errors.Count > 0) return Validated<UsageReport>.Fail(errors);

        // Semantic rules, checked only on well-formed input: answered with 422.
        if (to < from)
            errors.Add(new FieldError("to_timestamp", "Must not be earlier than from_timestamp."));
        else if (to - from > Limits.MaxWindowDays * Timestamps.MicrosPerDay)
            errors.Add(new FieldError("to_timestamp", $"A usage window may span at most {Limits.MaxWindowDays} days."));
        Plausibility.CheckTime(from, nowMicros, "from_timestamp", errors);
        Plausibility.CheckTime(to, nowMicros, "to_timestamp", errors);
        Plausibility.CheckCount(runs, "measures.langgraph.platform.runs", errors);
        Plausibility.CheckCount(nodes, "measures.langgraph.platform.nodes", errors);
        if (errors.Count > 0) return Validated<UsageReport>.Fail(errors, unprocessable: true);

        return Validated<UsageReport>.Ok(new UsageReport(workspace, project, from, to, runs, nodes, tags!, others, logsJson, logCount));
    }

    private static long ReadTimestamp(JsonElement body, string name, List<FieldError> errors)
    {
        if (!body.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(name, "Required."));
            return 0;
        }
        if (el.ValueKind != JsonValueKind.String || !Timestamps.TryParseMicros(el.GetString(), out long micros))
        {
            errors.Add(new FieldError(name, "Must be an ISO 8601 timestamp with a UTC offset, e.g. 2025-01-06T09:00:00.123456+00:00."));
            return 0;
        }
        return micros;
    }

    private static Dictionary<string, string>? ReadTags(JsonElement body, List<FieldError> errors)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!body.TryGetProperty("tags", out var el) || el.ValueKind == JsonValueKind.Null) return tags;
        if (el.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("tags", "Must be an object of string values."));
            return null;
        }
        int count = 0;
        foreach (var p in el.EnumerateObject())
        {
            if (++count > Limits.MaxTags)
            {
                errors.Add(new FieldError("tags", $"At most {Limits.MaxTags} tags are accepted."));
                return null;
            }
            if (p.Name.Length > Limits.MaxTagKeyLength)
                errors.Add(new FieldError("tags", $"Tag names are limited to {Limits.MaxTagKeyLength} characters."));
            string? value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Null => "",
                _ => null,
            };
            if (value is null)
                errors.Add(new FieldError($"tags.{p.Name}", "Tag values must be strings."));
            else if (Encoding.UTF8.GetByteCount(value) > Limits.MaxTagValueBytes)
                errors.Add(new FieldError($"tags.{p.Name}", $"Tag values are limited to {Limits.MaxTagValueBytes} bytes."));
            else
                tags[p.Name] = value;
        }
        return tags;
    }

    private static (long Runs, long Nodes, Dictionary<string, double> Others) ReadMeasures(JsonElement body, List<FieldError> errors)
    {
        var others = new Dictionary<string, double>(StringComparer.Ordinal);
        long runs = 0, nodes = 0;
        if (!body.TryGetProperty("measures", out var el) || el.ValueKind == JsonValueKind.Null) return (runs, nodes, others);
        if (el.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("measures", "Must be an object of numbers."));
            return (runs, nodes, others);
        }
        foreach (var p in el.EnumerateObject())
        {
            if (p.Name is UsageReport.RunsMeasure or UsageReport.NodesMeasure)
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long v) || v < 0)
                {
                    errors.Add(new FieldError($"measures.{p.Name}", "Must be a non-negative integer."));
                    continue;
                }
                if (p.Name == UsageReport.RunsMeasure) runs = v; else nodes = v;
            }
            else if (p.Value.ValueKind == JsonValueKind.Number && others.Count < Limits.MaxTags
                     && p.Name.Length <= Limits.MaxTagKeyLength && p.Value.TryGetDouble(out double d) && double.IsFinite(d))
            {
                // Other numeric measures are kept for diagnostics; non-numeric ones are ignored, not
                // rejected, so a newer client's extra fields can never block billing data.
                others[p.Name] = d;
            }
        }
        return (runs, nodes, others);
    }

    private static (string Json, int Count) ReadLogs(JsonElement body, List<FieldError> errors)
    {
        if (!body.TryGetProperty("logs", out var el) || el.ValueKind == JsonValueKind.Null) return ("[]", 0);
        if (el.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("logs", "Must be an array."));
            return ("[]", 0);
        }
        int count = el.GetArrayLength();
        if (count > Limits.MaxLogEntries)
        {
            errors.Add(new FieldError("logs", $"At most {Limits.MaxLogEntries} log entries are accepted, got {count.ToString(CultureInfo.InvariantCulture)}."));
            return ("[]", 0);
        }
        return (el.GetRawText(), count);
    }
}
