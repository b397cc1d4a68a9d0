using Beacon.Domain.Time;

namespace Beacon.Domain.Telemetry;

/// <summary>
/// What Beacon keeps of an install's telemetry and for how long (SPEC §4.7): for every metric series
/// the latest point and one point per 5 minutes for 14 days; log records of severity WARN or above for
/// 7 days; spans with an error status or lasting at least a second for 7 days; at most 10,000 log
/// records and 10,000 spans per license per UTC day. What is not kept is counted, never silently lost.
/// </summary>
public static class TelemetryPolicy
{
    public const int WarnSeverity = 13;
    public const int ErrorStatus = 2;
    public const int MaxLogsPerDay = 10_000;
    public const int MaxSpansPerDay = 10_000;
    public const int SeriesDays = 14;
    public const int RecordDays = 7;
    public const int MaxBodyChars = 8_192;
    public const int MaxAttributesChars = 8_192;
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

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
