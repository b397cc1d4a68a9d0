using Beacon.Domain.Time;

namespace Beacon.Domain.Telemetry;

/// <summary>
/// What Beacon keeps of an install's telemetry and for how long (SPEC §4.7): for every metric series
/// the latest point and one point per 5 minutes for 14 days; log records of severity WARN or above for
/// 7 days; spans with an error status or lasting at least a second for 7 days; at most 10,000 log
/// records and 10,000 spans per license per UTC day. What is not kept is counted, never silently lost.
/// An export is bounded whatever it holds (SPEC §15): values nested deeper than <see cref="MaxNesting"/>
/// or rendered longer than <see cref="MaxValueChars"/> are cut and marked, names are cut to
/// <see cref="MaxNameChars"/>, an item keeps at most <see cref="MaxAttributes"/> attributes, and records
/// dated more than <see cref="FutureTolerance"/> ahead or before their retention are refused.
/// </summary>
public static class TelemetryPolicy
{
    public const int WarnSeverity = 13;
    public const int ErrorStatus = 2;
    public const int MaxLogsPerDay = 10_000;
    public const int MaxSpansPerDay = 10_000;
    public const int SeriesDays = 14;
    public const int RecordDays = 7;
    public const int MaxBodyChars = 4_096;
    public const int MaxAttributesChars = 8_192;

    /// <summary>How deep an attribute or body value (arrays in maps in arrays…) is rendered; deeper levels become "…".</summary>
    public const int MaxNesting = 8;

    /// <summary>The longest rendered attribute value or body kept, in characters; longer ones are cut and end in "…".</summary>
    public const int MaxValueChars = 4_096;

    /// <summary>The longest metric, span or attribute name kept, in characters; longer ones are cut and end in "…".</summary>
    public const int MaxNameChars = 256;

    /// <summary>The most attributes an item keeps (the first ones sent); the rest are dropped and counted on the item.</summary>
    public const int MaxAttributes = 64;

    /// <summary>The attribute on an item that says how many of its attributes were dropped past the bounds.</summary>
    public const string DroppedAttributes = "beacon.dropped_attributes";

    /// <summary>
    /// The most metric series a license may have seen in the last <see cref="SeriesDays"/> days: points of
    /// new series past it are refused (and named), so one install cannot grow the vendor's telemetry
    /// tables without bound by minting attribute values.
    /// </summary>
    public const int MaxSeriesPerLicense = 2_000;

    /// <summary>The most buckets a histogram point may have (its stored form must fit one table property).</summary>
    public const int MaxHistogramBuckets = 256;

    /// <summary>How far ahead of the receiving clock a record may be dated (clock skew); later ones are refused.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromHours(24);

    /// <summary>
    /// Why a record dated <paramref name="unixNano"/> (0 = undated: received now) is refused, or null when it
    /// is not: a date more than <see cref="FutureTolerance"/> ahead would never be shown or purged, and one
    /// older than <paramref name="retentionDays"/> would be purged at once.
    /// </summary>
    public static string? RefusalOf(long unixNano, DateTimeOffset received, int retentionDays)
    {
        if (unixNano <= 0) return null;
        long nowNano = Timestamps.FromDateTimeOffset(received) * 1000;
        if (unixNano > nowNano + FutureTolerance.Ticks * 100) return $"dated more than {FutureTolerance.TotalHours:0} h ahead";
        var oldest = DateOnly.FromDateTime(received.UtcDateTime).AddDays(-(retentionDays - 1));
        return DayOf(unixNano, received) < oldest ? $"older than the {retentionDays}-day retention" : null;
    }
    public static readonly TimeSpan SlowSpan = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SeriesStep = TimeSpan.FromMinutes(5);

    public static bool Keeps(LogEntry log) => log.SeverityNumber >= WarnSeverity;

    public static bool Keeps(SpanEntry span) => span.StatusCode == ErrorStatus || span.Duration >= SlowSpan;

    /// <summary>The UTC day of a timestamp in nanoseconds (0 = unknown: the time it was received).</summary>
    public static DateOnly DayOf(long unixNano, DateTimeOffset received) =>
        unixNano > 0 ? Timestamps.DayOf(unixNano / 1000) : DateOnly.FromDateTime(received.UtcDateTime);

    /// <summary>The 5-minute slot of the day a point falls in, as <c>HHmm</c> of its start.</summary>
    public static string SlotOf(long unixNano, DateTimeOffset received)
    {
        var t = unixNano > 0 ? Timestamps.ToDateTimeOffset(unixNano / 1000) : received;
        int minute = t.UtcDateTime.Minute / 5 * 5;
        return $"{t.UtcDateTime.Hour:D2}{minute:D2}";
    }

    /// <summary>How many of <paramref name="offered"/> records fit under a daily <paramref name="cap"/> with <paramref name="already"/> kept today.</summary>
    public static int Admit(int offered, long already, int cap) => (int)Math.Clamp(cap - already, 0, offered);
}
