using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Meters;

/// <summary>
/// A window's contribution to each UTC day it overlaps (SPEC §4.4), per meter: counts split by the largest
/// remainder in proportion to the overlap (ties to the earlier day; a zero-length window puts them on its
/// day), overlap exact in microseconds. Distinct minutes are not additive: <see cref="DayCells"/> counts them.
/// </summary>
public static class WindowMeters
{
    /// <summary>The pieces of <paramref name="window"/> on the days in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static IEnumerable<WindowPiece> Pieces(MeterCatalog catalog, WindowFacts window, DateOnly from, DateOnly to)
    {
        var days = Overlaps(window.FromMicros, window.ToMicros);
        var weights = days.Select(d => d.End - d.Start).ToArray();
        var parts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var measure in catalog.Meters.Where(m => m.Measure is not null).Select(m => m.Measure!).Distinct())
        {
            var count = window.Counts.GetValueOrDefault(measure);
            parts[measure] = weights.Length == 1 ? [count] : Apportionment.LargestRemainder(count, weights);
        }
        for (int i = 0; i < days.Count; i++)
        {
            var (day, start, end) = days[i];
            if (day < from || day >= to) continue;
            var values = new Int128[catalog.Slots.Count];
            for (int s = 0; s < values.Length; s++)
            {
                var meter = catalog.Slots[s].Meter;
                values[s] = meter.Aggregation switch
                {
                    Aggregation.ApportionedSum => parts[meter.Measure!][i],
                    Aggregation.OverlapSeconds => end - start,
                    Aggregation.DistinctMinuteSlots => 0, // counted per day by DayCells
                    Aggregation.TraceCount => 0,          // windows carry no traces
                };
            }
            yield return new WindowPiece(day, window.Key, new MeterValues(values), start, end);
        }
    }

    /// <summary>The UTC days a window overlaps with its overlap on each; a zero-length window is its start day, empty.</summary>
    private static List<(DateOnly Day, long Start, long End)> Overlaps(long from, long to)
    {
        if (to <= from) return [(Timestamps.DayOf(from), from, from)];
        var list = new List<(DateOnly, long, long)>();
        for (var day = Timestamps.DayOf(from); ; day = day.AddDays(1))
        {
            long dayStart = Timestamps.StartOfDay(day), dayEnd = dayStart + Timestamps.MicrosPerDay;
            long start = Math.Max(from, dayStart), end = Math.Min(to, dayEnd);
            if (end > start) list.Add((day, start, end));
            if (dayEnd >= to) return list;
        }
    }
}
