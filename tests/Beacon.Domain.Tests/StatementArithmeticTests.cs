using Beacon.Domain.Meters;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class StatementArithmeticTests
{
    private static readonly string[] Licenses = ["", "lic-a", "lic-b"];
    private static MeterCatalog Catalog => MeterCatalog.Default;

    private static List<(DateOnly Day, UsageCell Cell)> RandomCells(Random random, Month month)
    {
        var days = month.EndDay.DayNumber - month.FirstDay.DayNumber;
        return [.. Enumerable.Range(0, random.Next(0, 60)).Select(_ =>
        {
            var day = month.FirstDay.AddDays(random.Next(days));
            var license = Licenses[random.Next(Licenses.Length)];
            var cell = random.Next(3) switch
            {
                0 => Cells.Deployment(license, random.Next(0, 50), random.Next(0, 500), random.NextInt64(0, 3_000_000_000), random.Next(0, 1440)),
                1 => Cells.Traces(license, TraceTier.Longlived, random.Next(0, 1000)),
                _ => Cells.Traces(license, TraceTier.Shortlived, random.Next(0, 1000)),
            };
            return (day, cell);
        })];
    }

    [Fact]
    public void Month_totals_per_license_are_counts_and_minutes_summed_and_uptime_rounded_per_day_then_summed()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var month = new Month(2026, random.Next(1, 13));
            var cells = RandomCells(random, month);
            var usage = MonthUsage.ByLine(Catalog);
            foreach (var (day, cell) in cells) usage.Add(day, cell);

            // Brute force: every license, every meter, straight from the cells.
            var expected = new Dictionary<LineId, MeterTotals>();
            foreach (var license in Licenses)
            {
                var mine = cells.Where(c => c.Cell.Key.LicenseId == license).ToList();
                long Sum(string meter) => mine.Sum(c => Cells.Get(c.Cell, meter));
                long uptime = mine.GroupBy(c => c.Day).Sum(g => (long)Math.Round(g.Sum(c => (double)Cells.Get(c.Cell, "agent_uptime_seconds")) / 1e6, MidpointRounding.AwayFromZero));
                var t = MeterTotals.Of([("agent_runs", Sum("agent_runs")), ("nodes_executed", Sum("nodes_executed")), ("agent_uptime_seconds", uptime),
                    ("standby_minutes", Sum("standby_minutes")), ("traces_longlived", Sum("traces_longlived")), ("traces_shortlived", Sum("traces_shortlived"))]);
                if (!t.IsZero) expected[new LineId(license)] = t;
            }
            Assert.Equal(expected.OrderBy(kv => kv.Key), usage.Totals().OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void Uptime_is_rounded_per_day_like_the_daily_buckets_of_the_usage_api()
    {
        var usage = MonthUsage.ByLine(Catalog);
        var day = new DateOnly(2026, 10, 5);
        usage.Add(day, Cells.Deployment("lic", uptimeMicros: 600_000));
        usage.Add(day.AddDays(1), Cells.Deployment("lic", uptimeMicros: 600_000));
        // 0.6 s on each of two days: each day rounds to 1 s, as the API's two daily records show.
        Assert.Equal(2, usage.Totals()[new LineId("lic")].Get("agent_uptime_seconds"));
        Assert.Equal(1, WindowSplit.RoundToSeconds(1_200_000));
    }

    [Fact]
    public void Late_usage_brings_each_lines_accounted_totals_exactly_to_the_live_ones()
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            MeterTotals Random() => MeterTotals.Of(Catalog.Meters.Select(m => (m.Name, (Int128)random.Next(random.Next(4) == 0 ? -5 : 0, 1000))));
            var live = Licenses.Where(_ => random.Next(4) > 0).ToDictionary(l => new LineId(l), _ => Random());
            var accounted = Licenses.Where(_ => random.Next(4) > 0).ToDictionary(l => new LineId(l), _ => Random());
            var changes = LateUsage.Reconcile(Catalog, live, accounted);
            foreach (var license in Licenses)
            {
                var target = live.GetValueOrDefault(new LineId(license)) ?? MeterTotals.Zero(Catalog);
                var change = changes.SingleOrDefault(c => c.Line.LicenseId == license);
                var from = accounted.GetValueOrDefault(new LineId(license)) ?? MeterTotals.Zero(Catalog);
                var after = change is null ? from : change.Deltas.Aggregate(from, (t, d) => t.Plus(d.Meter, d.Delta));
                Assert.All(Catalog.Meters, m => Assert.Equal(target.Get(m.Name), after.Get(m.Name)));
                if (change is null) continue;
                Assert.Equal(after, change.Accounted);
                Assert.All(change.Deltas, d => Assert.NotEqual(0, d.Delta));
                Assert.Equal(change.Deltas.Select(d => d.Meter).Distinct().Count(), change.Deltas.Count);
            }
            Assert.Equal(changes.Select(c => c.Line.LicenseId).Order(StringComparer.Ordinal), changes.Select(c => c.Line.LicenseId));
        }
    }

    [Fact]
    public void A_meter_a_closed_line_was_frozen_without_is_not_reconciled()
    {
        // Closed before standby minutes existed: the invoice never billed them, so no adjustment appears for them.
        var frozen = MeterTotals.Of([("agent_runs", 10), ("nodes_executed", 30), ("agent_uptime_seconds", 600), ("traces_longlived", 0), ("traces_shortlived", 0)]);
        var live = MeterTotals.Of([("agent_runs", 12), ("nodes_executed", 30), ("agent_uptime_seconds", 600), ("standby_minutes", 10), ("traces_longlived", 0), ("traces_shortlived", 0)]);
        var change = Assert.Single(LateUsage.Reconcile(Catalog, new Dictionary<LineId, MeterTotals> { [new LineId("lic")] = live }, new Dictionary<LineId, MeterTotals> { [new LineId("lic")] = frozen }));
        Assert.Equal([("agent_runs", (Int128)2)], change.Deltas);
        Assert.False(change.Accounted.Has("standby_minutes"));
        // A line that late usage creates has every meter, standby minutes included.
        var created = Assert.Single(LateUsage.Reconcile(Catalog, new Dictionary<LineId, MeterTotals> { [new LineId("new")] = live }, new Dictionary<LineId, MeterTotals>()));
        Assert.Contains(("standby_minutes", (Int128)10), created.Deltas);
    }

    [Fact]
    public void Standby_minutes_late_usage_is_the_change_of_the_deduplicated_total_possibly_none()
    {
        var accounted = MeterTotals.Zero(Catalog).Plus("standby_minutes", 1440).Plus("agent_uptime_seconds", 259_200);
        // A fourth replica up all day adds uptime but no standby minute: only uptime is adjusted.
        var live = MeterTotals.Zero(Catalog).Plus("standby_minutes", 1440).Plus("agent_uptime_seconds", 345_600);
        var change = Assert.Single(LateUsage.Reconcile(Catalog, new Dictionary<LineId, MeterTotals> { [new LineId("lic")] = live }, new Dictionary<LineId, MeterTotals> { [new LineId("lic")] = accounted }));
        Assert.Equal([("agent_uptime_seconds", (Int128)86_400)], change.Deltas);
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
