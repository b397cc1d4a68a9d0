namespace Beacon.Domain.Meters;

/// <summary>
/// Counts the UTC minutes <c>[hh:mm:00, hh:mm+1:00)</c> that overlap, with positive length, at least one
/// of some intervals (SPEC §14). A window 09:00:00.654321–09:05:00.700112 touches six minutes, 09:00–09:05
/// five, a zero-length window none; two windows that meet inside one minute count it once.
/// </summary>
public static class MinuteSlots
{
    public const long MicrosPerMinute = 60_000_000;

    /// <summary>The minutes an interval touches, as [first, end) minute numbers since the epoch; empty when it has no length.</summary>
    public static (long First, long End) Of(long startMicros, long endMicros) =>
        endMicros <= startMicros ? (0, 0) : (FloorDiv(startMicros, MicrosPerMinute), -FloorDiv(-endMicros, MicrosPerMinute));

    /// <summary>How many distinct minutes the intervals touch together. O(n log n).</summary>
    public static long CountDistinct(IEnumerable<(long StartMicros, long EndMicros)> intervals)
    {
        var ranges = intervals.Select(i => Of(i.StartMicros, i.EndMicros)).Where(r => r.End > r.First).OrderBy(r => r.First).ToList();
        long total = 0, first = 0, end = long.MinValue;
        foreach (var r in ranges)
        {
            if (r.First > end)
            {
                if (end != long.MinValue) total += end - first;
                (first, end) = r;
            }
            else if (r.End > end)
            {
                end = r.End;
            }
        }
        if (end != long.MinValue) total += end - first;
        return total;
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}
