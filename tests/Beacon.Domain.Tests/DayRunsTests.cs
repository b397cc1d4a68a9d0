using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class DayRunsTests
{
    [Fact]
    public void Days_become_ascending_runs_of_consecutive_days()
    {
        var d = new DateOnly(2026, 2, 27);
        Assert.Equal([(d, d.AddDays(2)), (d.AddDays(5), d.AddDays(5))], DayRuns.Of([d.AddDays(5), d.AddDays(1), d, d.AddDays(2), d]));
        Assert.Empty(DayRuns.Of([]));
    }

    [Fact]
    public void Only_days_that_are_over_need_marking()
    {
        var now = new DateTimeOffset(2026, 3, 2, 0, 0, 1, TimeSpan.Zero);
        var past = DayRuns.Past([new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3)], now);
        Assert.Equal([(new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 1))], past);
    }
}
