using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>
/// Per-UTC-day attribution of a usage window (SPEC §4.4): uptime is the exact overlap with each day;
/// counts are split across the overlapped days in proportion to the overlap by largest remainder
/// (ties to the earlier day), so per-day integers sum to the reported count. A zero-length window
/// puts everything on the day of its start.
/// </summary>
public static class WindowSplit
{
    public static IReadOnlyList<DayShare> ByUtcDay(long fromMicros, long toMicros, long runs, long nodes)
    {
        if (toMicros < fromMicros) throw new ArgumentException("The window ends before it starts.", nameof(toMicros));

        if (toMicros == fromMicros)
            return [new DayShare(Timestamps.DayOf(fromMicros), runs, nodes, 0)];

        var days = new List<DateOnly>();
        var overlaps = new List<long>();
        var day = Timestamps.DayOf(fromMicros);
        while (true)
        {
            long dayStart = Timestamps.StartOfDay(day);
            long dayEnd = dayStart + Timestamps.MicrosPerDay;
            long overlap = Math.Min(toMicros, dayEnd) - Math.Max(fromMicros, dayStart);
            if (overlap > 0)
            {
                days.Add(day);
                overlaps.Add(overlap);
            }
            if (dayEnd >= toMicros) break;
            day = day.AddDays(1);
        }

        var runParts = Apportionment.LargestRemainder(runs, overlaps);
        var nodeParts = Apportionment.LargestRemainder(nodes, overlaps);
        var shares = new DayShare[days.Count];
        for (int i = 0; i < days.Count; i++)
            shares[i] = new DayShare(days[i], runParts[i], nodeParts[i], overlaps[i]);
        return shares;
    }

    /// <summary>Rounds summed microseconds of uptime to whole seconds, half away from zero.</summary>
    public static long RoundToSeconds(long micros) =>
        (micros + Timestamps.MicrosPerSecond / 2) / Timestamps.MicrosPerSecond;

    /// <summary>The same rounding for a 128-bit sum of microseconds.</summary>
    public static Int128 RoundToSeconds(Int128 micros) =>
        (micros + Timestamps.MicrosPerSecond / 2) / Timestamps.MicrosPerSecond;
}
