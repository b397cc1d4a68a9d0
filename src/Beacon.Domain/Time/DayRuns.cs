namespace Beacon.Domain.Time;

/// <summary>Contiguous runs of UTC days: what writers mark dirty and what a rollup recomputes in one go.</summary>
public static class DayRuns
{
    /// <summary>The distinct days as ascending runs of consecutive days, each as [First, Last].</summary>
    public static IReadOnlyList<(DateOnly First, DateOnly Last)> Of(IEnumerable<DateOnly> days)
    {
        var runs = new List<(DateOnly First, DateOnly Last)>();
        foreach (var d in days.Distinct().Order())
        {
            if (runs.Count > 0 && runs[^1].Last.AddDays(1) == d) runs[^1] = (runs[^1].First, d);
            else runs.Add((d, d));
        }
        return runs;
    }

    /// <summary>The days of <paramref name="days"/> that are already over at <paramref name="now"/> (UTC), as runs.</summary>
    public static IReadOnlyList<(DateOnly First, DateOnly Last)> Past(IEnumerable<DateOnly> days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Of(days.Where(d => d < today));
    }

    /// <summary>Every day of [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public static IEnumerable<DateOnly> Each(DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1)) yield return d;
    }
}
