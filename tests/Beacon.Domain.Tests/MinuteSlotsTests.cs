using Beacon.Domain.Meters;
using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class MinuteSlotsTests
{
    private static long At(int h, int m, int s = 0, int micros = 0) =>
        Timestamps.StartOfDay(new DateOnly(2026, 4, 2)) + ((h * 60L + m) * 60 + s) * 1_000_000 + micros;

    [Fact]
    public void The_specs_examples_count_as_written()
    {
        // SPEC §14: the real client's window touches 6 minutes; an aligned 5-minute window 5; a zero-length one none.
        Assert.Equal(6, MinuteSlots.CountDistinct([(At(9, 0, 0, 654_321), At(9, 5, 0, 700_112))]));
        Assert.Equal(5, MinuteSlots.CountDistinct([(At(9, 0), At(9, 5))]));
        Assert.Equal(0, MinuteSlots.CountDistinct([(At(9, 0, 30), At(9, 0, 30))]));
        // Two replicas whose windows meet inside one minute count it once.
        Assert.Equal(10, MinuteSlots.CountDistinct([(At(9, 0), At(9, 5, 30)), (At(9, 5, 30), At(9, 10))]));
        // Adjacent on a minute boundary: no minute shared, none lost.
        Assert.Equal(10, MinuteSlots.CountDistinct([(At(9, 0), At(9, 5)), (At(9, 5), At(9, 10))]));
        // Three replicas up all day: 1,440.
        var day = (At(0, 0), At(0, 0) + Timestamps.MicrosPerDay);
        Assert.Equal(1440, MinuteSlots.CountDistinct([day, day, day]));
    }

    [Fact]
    public void Counting_distinct_minutes_equals_checking_every_minute_one_by_one()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var intervals = Enumerable.Range(0, random.Next(0, 8)).Select(_ =>
            {
                long start = At(0, 0) + random.NextInt64(0, 120) * 1_000_000 * (random.Next(2) == 0 ? 60 : 1) + random.Next(0, 3) * random.Next(0, 1_000_000);
                long length = random.Next(4) == 0 ? 0 : random.NextInt64(0, 600) * 1_000_000 + random.Next(0, 2) * random.Next(0, 1_000_000);
                return (start, start + length);
            }).ToList();
            var minutes = new HashSet<long>();
            foreach (var (s, e) in intervals)
                for (long m = s / 60_000_000 - 1; m * 60_000_000 <= e; m++)
                    if (e > s && m * 60_000_000 < e && (m + 1) * 60_000_000 > s) minutes.Add(m);
            Assert.Equal(minutes.Count, MinuteSlots.CountDistinct(intervals));
        }
    }
}
