using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class WindowSplitTests
{
    private static long At(int y, int m, int d, int h = 0, int min = 0) => Timestamps.FromDateTimeOffset(new DateTimeOffset(y, m, d, h, min, 0, TimeSpan.Zero));

    [Fact]
    public void A_36_hour_window_from_18_00_spans_three_days()
    {
        var from = At(2026, 3, 10, 18);
        var shares = WindowSplit.ByUtcDay(from, from + 36L * 3600 * 1_000_000, 10, 7);
        Assert.Equal([(new DateOnly(2026, 3, 10), 2L, 1L, 21_600L), (new DateOnly(2026, 3, 11), 7L, 5L, 86_400L), (new DateOnly(2026, 3, 12), 1L, 1L, 21_600L)],
            shares.Select(s => (s.Day, s.Runs, s.Nodes, s.UptimeMicros / 1_000_000)));
    }

    [Fact]
    public void A_window_within_one_day_and_a_zero_length_window_put_everything_on_that_day()
    {
        Assert.Equal([new DayShare(new DateOnly(2026, 3, 10), 150, 450, 300_000_000)], WindowSplit.ByUtcDay(At(2026, 3, 10, 9), At(2026, 3, 10, 9, 5), 150, 450));
        Assert.Equal([new DayShare(new DateOnly(2026, 3, 10), 3, 4, 0)], WindowSplit.ByUtcDay(At(2026, 3, 10, 9), At(2026, 3, 10, 9), 3, 4));
    }

    [Fact]
    public void A_window_ending_exactly_at_midnight_does_not_touch_the_next_day()
    {
        var shares = WindowSplit.ByUtcDay(At(2026, 3, 10, 23), At(2026, 3, 11), 5, 5);
        Assert.Equal(new DateOnly(2026, 3, 10), Assert.Single(shares).Day);
    }

    [Fact]
    public void Random_windows_conserve_counts_and_uptime_exactly()
    {
        var random = new Random(7);
        for (int i = 0; i < 3000; i++)
        {
            long from = At(2025, 1, 1) + random.NextInt64(0, 400L * Timestamps.MicrosPerDay);
            long to = from + random.Next(4) switch { 0 => 0, 1 => random.NextInt64(0, Timestamps.MicrosPerDay), _ => random.NextInt64(0, 400L * Timestamps.MicrosPerDay) };
            long runs = random.NextInt64(0, 10_000_000), nodes = random.NextInt64(0, 100_000_000);

            var shares = WindowSplit.ByUtcDay(from, to, runs, nodes);

            Assert.Equal(runs, shares.Sum(s => s.Runs));
            Assert.Equal(nodes, shares.Sum(s => s.Nodes));
            Assert.Equal(to - from, shares.Sum(s => s.UptimeMicros));
            Assert.Equal(Timestamps.DayOf(from), shares[0].Day);
            Assert.True(shares.Zip(shares.Skip(1)).All(p => p.Second.Day == p.First.Day.AddDays(1)));
            Assert.All(shares, s => Assert.InRange(s.UptimeMicros, to == from ? 0 : 1, Timestamps.MicrosPerDay));
        }
    }

    [Theory]
    [InlineData(1_499_999, 1)]
    [InlineData(1_500_000, 2)]
    [InlineData(0, 0)]
    [InlineData(499_999, 0)]
    public void Uptime_rounds_to_the_nearest_second(long micros, long seconds) => Assert.Equal(seconds, WindowSplit.RoundToSeconds(micros));
}
