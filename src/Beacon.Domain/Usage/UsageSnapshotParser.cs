using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>
/// Reads <c>POST /v1/beacon/usage-snapshot</c>, collecting every error at once; unknown fields are ignored.
/// Well-formed snapshots then meet §9's timestamp plausibility (422), and the measure names are bounded in
/// total so the stored snapshot always fits one table property.
/// </summary>
public static class UsageSnapshotParser
{
    public static Validated<UsageSnapshot> Parse(JsonElement body, long nowMicros)
    {
        if (body.ValueKind != JsonValueKind.Object)
            return Validated<UsageSnapshot>.Fail([new FieldError("$", "The body must be a JSON object.")]);
        var errors = new List<FieldError>();
        long from = Timestamp(body, "from_timestamp", errors);
        long to = Timestamp(body, "to_timestamp", errors);
        var measures = new Dictionary<string, long>(StringComparer.Ordinal);
        int nameChars = 0;
        if (!body.TryGetProperty("measures", out var el) || el.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("measures", "Required: an object of non-negative integers."));
        }
        else
        {
            foreach (var p in el.EnumerateObject())
            {
                if (measures.Count == UsageSnapshot.MaxMeasures)
                {
                    errors.Add(new FieldError("measures", $"At most {UsageSnapshot.MaxMeasures} measures are accepted."));
                    break;
                }
                if (p.Name.Length is 0 or > UsageSnapshot.MaxMeasureNameLength || p.Name.Any(char.IsControl))
                    errors.Add(new FieldError("measures", $"Measure names are 1 to {UsageSnapshot.MaxMeasureNameLength} printable characters."));
                else if ((nameChars += p.Name.Length) > UsageSnapshot.MaxMeasureNameChars)
                {
                    errors.Add(new FieldError("measures", $"Measure names may total at most {UsageSnapshot.MaxMeasureNameChars} characters."));
                    break;
                }
                else if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out long v) || v < 0)
                    errors.Add(new FieldError($"measures.{p.Name}", "Must be a non-negative integer."));
                else
                    measures[p.Name] = v;
            }
        }
        if (errors.Count > 0) return Validated<UsageSnapshot>.Fail(errors);
        if (to < from) errors.Add(new FieldError("to_timestamp", "Must not be earlier than from_timestamp."));
        Plausibility.CheckTime(from, nowMicros, "from_timestamp", errors);
        Plausibility.CheckTime(to, nowMicros, "to_timestamp", errors);
        if (errors.Count > 0) return Validated<UsageSnapshot>.Fail(errors, unprocessable: true);
        return Validated<UsageSnapshot>.Ok(new UsageSnapshot(from, to, measures));
    }

    private static long Timestamp(JsonElement body, string name, List<FieldError> errors)
    {
        if (body.TryGetProperty(name, out var el) && el.ValueKind == JsonValueKind.String && Timestamps.TryParseMicros(el.GetString(), out long micros))
            return micros;
        errors.Add(new FieldError(name, string.Create(CultureInfo.InvariantCulture, $"Required: an ISO 8601 timestamp with a UTC offset, e.g. 2026-03-25T02:00:00+00:00.")));
        return 0;
    }
}
