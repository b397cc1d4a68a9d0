using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Domain.Time;

/// <summary>
/// ISO 8601 timestamps as the platform client sends them. Python's <c>datetime.isoformat()</c>
/// gives <c>2025-01-06T09:00:00.123456+00:00</c>; the public docs show <c>...Z</c>. Both are accepted;
/// a timestamp without an offset is rejected, because guessing a time zone would misattribute usage.
/// Everything is truncated to the microsecond: that is the client's precision and the window key's.
/// </summary>
public static partial class Timestamps
{
    public const long MicrosPerSecond = 1_000_000;
    public const long MicrosPerDay = 86_400 * MicrosPerSecond;

    // [0-9], not \d: .NET's \d matches every Unicode digit (Arabic-Indic ٠٩ among them), which int.Parse then refuses.
    [GeneratedRegex(
        @"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?<h>[0-9]{2}):(?<m>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?(?<off>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();

    /// <summary>Parses an ISO 8601 date-time that carries a UTC offset; returns microseconds since the Unix epoch.</summary>
    public static bool TryParseMicros(string? text, out long micros)
    {
        micros = 0;
        if (text is null || text.Length > 40) return false;
        var m = IsoWithOffset().Match(text);
        if (!m.Success) return false;
        if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return false;
        int h = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        int min = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        int s = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (h > 23 || min > 59 || s > 59) return false;
        long fracMicros = 0;
        if (m.Groups["f"].Success)
        {
            var f = m.Groups["f"].Value.PadRight(6, '0')[..6];
            fracMicros = long.Parse(f, CultureInfo.InvariantCulture);
        }
        if (!TryParseOffsetMinutes(m.Groups["off"].Value, out int offsetMinutes)) return false;

        long dayMicros = (long)date.DayNumber - UnixEpochDayNumber;
        long local = dayMicros * MicrosPerDay + ((h * 60L + min) * 60 + s) * MicrosPerSecond + fracMicros;
        micros = local - offsetMinutes * 60L * MicrosPerSecond;
        return micros >= MinMicros && micros <= MaxMicros;
    }

    private static bool TryParseOffsetMinutes(string off, out int minutes)
    {
        minutes = 0;
        if (off is "Z" or "z") return true;
        int sign = off[0] == '-' ? -1 : 1;
        var digits = off[1..].Replace(":", "", StringComparison.Ordinal);
        int hh = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        int mm = digits.Length == 4 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
        if (hh > 23 || mm > 59) return false;
        minutes = sign * (hh * 60 + mm);
        return true;
    }

    /// <summary>Query parameters also accept a bare date (<c>2026-01-15</c>), read as that UTC midnight.</summary>
    public static bool TryParseQueryTime(string? text, out long micros)
    {
        micros = 0;
        if (text is null) return false;
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            micros = StartOfDay(d);
            return true;
        }
        return TryParseMicros(text, out micros);
    }

    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;
    // Years 1900..9000 are plenty; bounding them keeps every later multiplication far from overflow.
    private static readonly long MinMicros = StartOfDay(new DateOnly(1900, 1, 1));
    private static readonly long MaxMicros = StartOfDay(new DateOnly(9000, 1, 1));

    public static DateOnly DayOf(long micros) => DateOnly.FromDayNumber(UnixEpochDayNumber + (int)FloorDiv(micros, MicrosPerDay));

    public static long StartOfDay(DateOnly day) => ((long)day.DayNumber - UnixEpochDayNumber) * MicrosPerDay;

    public static long FromDateTimeOffset(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset ToDateTimeOffset(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary><c>2026-01-15T00:00:00Z</c>: the form every bucket boundary is written in (JSON and CSV).</summary>
    public static string FormatUtcSeconds(long micros) =>
        ToDateTimeOffset(micros).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Full precision, for diagnostics and stored records.</summary>
    public static string FormatUtcMicros(long micros) =>
        ToDateTimeOffset(micros).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDayKey(string key) => DateOnly.ParseExact(key, "yyyyMMdd", CultureInfo.InvariantCulture);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
