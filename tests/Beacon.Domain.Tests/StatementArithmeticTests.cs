using Beacon.Domain.Query;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class StatementArithmeticTests
{
    private static readonly string[] Licenses = ["", "lic-a", "lic-b"];

    private static List<(DateOnly Day, UsageCell Cell)> RandomCells(Random random, Month month)
    {
        var days = month.EndDay.DayNumber - month.FirstDay.DayNumber;
        return [.. Enumerable.Range(0, random.Next(0, 60)).Select(_ =>
        {
            var day = month.FirstDay.AddDays(random.Next(days));
            var license = Licenses[random.Next(Licenses.Length)];
            TraceTier? tier = random.Next(3) switch { 0 => null, 1 => TraceTier.Longlived, _ => TraceTier.Shortlived };
            var cell = tier is null
                ? new UsageCell("ws", "p", "", "", license, null, 0, random.Next(0, 50), random.Next(0, 500), random.NextInt64(0, 3_000_000_000))
                : new UsageCell("ws", "p", "", "", license, tier, random.Next(0, 1000), 0, 0, 0);
            return (day, cell);
        })];
    }

    [Fact]
    public void Month_totals_per_license_are_the_counts_summed_and_uptime_rounded_per_day_then_summed()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var month = new Month(2026, random.Next(1, 13));
            var cells = RandomCells(random, month);
            var usage = new MonthUsage();
            foreach (var (day, cell) in cells) usage.Add(day, cell);

            // Brute force: every license, every metric, straight from the cells.
            var expected = new Dictionary<string, LineTotals>();
            foreach (var license in Licenses)
            {
                var mine = cells.Where(c => c.Cell.LicenseId == license).ToList();
                Int128 runs = mine.Sum(c => (long)c.Cell.Runs), nodes = mine.Sum(c => (long)c.Cell.Nodes);
                Int128 longlived = mine.Where(c => c.Cell.Tier == TraceTier.Longlived).Sum(c => (long)c.Cell.Traces);
                Int128 shortlived = mine.Where(c => c.Cell.Tier == TraceTier.Shortlived).Sum(c => (long)c.Cell.Traces);
                Int128 uptime = mine.GroupBy(c => c.Day).Sum(g => (long)Math.Round(g.Sum(c => (double)(long)c.Cell.UptimeMicros) / 1e6, MidpointRounding.AwayFromZero));
                var t = new LineTotals(runs, nodes, uptime, longlived, shortlived);
                if (!t.IsZero) expected[license] = t;
            }
            Assert.Equal(expected.OrderBy(kv => kv.Key), usage.Totals().OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void Uptime_is_rounded_per_day_like_the_daily_buckets_of_the_usage_api()
    {
        var usage = new MonthUsage();
        var day = new DateOnly(2026, 10, 5);
        usage.Add(day, new UsageCell("ws", "p", "", "", "lic", null, 0, 0, 0, 600_000));
        usage.Add(day.AddDays(1), new UsageCell("ws", "p", "", "", "lic", null, 0, 0, 0, 600_000));
        // 0.6 s on each of two days: each day rounds to 1 s, as the API's two daily records show.
        Assert.Equal(2, usage.Totals()["lic"].AgentUptimeSeconds);
        Assert.Equal(1, WindowSplit.RoundToSeconds(1_200_000));
    }

    [Fact]
    public void Deltas_bring_the_accounted_totals_exactly_to_the_live_ones()
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            LineTotals Random() => new(random.Next(-5, 1000), random.Next(0, 1000), random.Next(0, 1000), random.Next(0, 3), random.Next(0, 1000));
            var (live, accounted) = (Random(), Random());
            var deltas = live.DeltasFrom(accounted);
            Assert.Equal(live, deltas.Aggregate(accounted, (t, d) => t.Plus(d.Metric, d.Delta)));
            Assert.All(deltas, d => Assert.NotEqual(0, d.Delta));
            Assert.Equal(deltas.Select(d => d.Metric).Distinct().Count(), deltas.Count);
        }
    }

    [Fact]
    public void An_adjustment_is_recorded_on_the_first_month_from_its_own_that_is_not_closed()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var closed = Enumerable.Range(0, 24).Where(_ => random.Next(3) > 0).Select(i => new Month(2025 + i / 12, i % 12 + 1)).ToHashSet();
            var forMonth = new Month(2025 + random.Next(2), random.Next(1, 13));
            var recorded = StatementCalendar.RecordingMonth(forMonth, closed);
            Assert.True(recorded >= forMonth);
            Assert.DoesNotContain(recorded, closed);
            for (var m = forMonth; m < recorded; m = m.Next) Assert.Contains(m, closed);
        }
    }

    [Fact]
    public void A_month_can_be_closed_only_once_it_has_ended_and_settled()
    {
        var october = new Month(2026, 10);
        var settle = TimeSpan.FromMinutes(10);
        Assert.Contains("has not ended", StatementCalendar.WhyNotClosable(october, new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero), settle));
        Assert.Contains("2026-11-01T00:10:00Z", StatementCalendar.WhyNotClosable(october, new DateTimeOffset(2026, 11, 1, 0, 5, 0, TimeSpan.Zero), settle));
        Assert.Null(StatementCalendar.WhyNotClosable(october, new DateTimeOffset(2026, 11, 1, 0, 10, 0, TimeSpan.Zero), settle));
    }

    [Theory]
    [InlineData("2026-10", true)]
    [InlineData("2020-01", true)]
    [InlineData("2019-12", false)]
    [InlineData("2026-13", false)]
    [InlineData("2026-1", false)]
    [InlineData("2026/10", false)]
    [InlineData("+026-10", false)]
    [InlineData("", false)]
    public void Months_are_exactly_YYYY_MM_from_2020(string text, bool valid)
    {
        Assert.Equal(valid, Month.TryParse(text, out var m));
        if (valid) Assert.Equal(text, m.ToString());
    }

    [Fact]
    public void A_month_spans_its_calendar_days()
    {
        var february = new Month(2028, 2);
        Assert.Equal(new DateOnly(2028, 2, 1), february.FirstDay);
        Assert.Equal(new DateOnly(2028, 3, 1), february.EndDay);
        Assert.Equal(new Month(2029, 1), new Month(2028, 12).Next);
    }
}
