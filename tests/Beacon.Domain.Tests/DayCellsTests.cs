using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

/// <summary>Distinct minutes credited to one cell per group: every grouping still sums to the brute-force count.</summary>
[Trait("Tier", "Slow")] // property datasets
public sealed class DayCellsTests
{
    private static MeterCatalog Catalog => MeterCatalog.Default;
    private static readonly DateOnly Day = new(2026, 4, 2);
    private static readonly GroupBy[] Groupings = [GroupBy.Workspace, GroupBy.Project, GroupBy.User, GroupBy.ApiKey, GroupBy.License];

    private static string Pick(Random r, params string[] values) => values[r.Next(values.Length)];

    private static CellKey RandomKey(Random r) => new(Pick(r, "w1", "w2"), Pick(r, "", "p1", "p2"), Pick(r, "", "u1", "u2"), Pick(r, "", "k1", "k2", "k3"), Pick(r, "", "l1"), null);

    private static WindowFacts RandomWindow(Random r, long earliest, int spanMinutes)
    {
        long from = earliest + r.NextInt64(0, spanMinutes) * 60_000_000 + (r.Next(2) == 0 ? 0 : r.NextInt64(0, 60_000_000));
        long length = r.Next(6) switch
        {
            0 => 0,
            1 => 300_000_000,
            2 => r.NextInt64(1, 3 * Timestamps.MicrosPerDay),
            _ => r.NextInt64(1, 120) * 60_000_000 + r.Next(0, 1_000_000),
        };
        return new WindowFacts(RandomKey(r), from, from + length, new Dictionary<string, long>
        {
            [UsageReport.RunsMeasure] = r.Next(0, 100), [UsageReport.NodesMeasure] = r.Next(0, 1000),
        });
    }

    /// <summary>Brute force: for each group, each of its scope keys' distinct minutes of the day, minute by minute.</summary>
    private static Dictionary<string, long> ExpectedMinutes(IEnumerable<WindowFacts> windows, DateOnly day, GroupBy g)
    {
        long dayStart = Timestamps.StartOfDay(day), dayEnd = dayStart + Timestamps.MicrosPerDay;
        var minutes = new Dictionary<(string Group, CellKey Scope), HashSet<long>>();
        foreach (var w in windows)
        {
            var scopeKey = w.Key.ScopeKey(Dimensions.ScopeOf(g));
            var k = (Dimensions.ValueOf(w.Key, g), scopeKey);
            if (!minutes.TryGetValue(k, out var set)) minutes[k] = set = [];
            for (long m = dayStart / 60_000_000; m < dayEnd / 60_000_000; m++)
                if (w.ToMicros > w.FromMicros && m * 60_000_000 < w.ToMicros && (m + 1) * 60_000_000 > w.FromMicros) set.Add(m);
        }
        return minutes.GroupBy(kv => kv.Key.Group).ToDictionary(g => g.Key, g => (long)g.Sum(kv => kv.Value.Count)).Where(kv => kv.Value > 0).ToDictionary();
    }

    private static Dictionary<string, long> ActualMinutes(IEnumerable<UsageCell> cells, GroupBy g)
    {
        var slot = Catalog.SlotOf(Catalog.Find("standby_minutes")!, Dimensions.ScopeOf(g));
        return cells.GroupBy(c => Dimensions.ValueOf(c.Key, g)).ToDictionary(x => x.Key, x => (long)x.Sum(c => (long)c.Values[slot])).Where(kv => kv.Value > 0).ToDictionary();
    }

    [Fact]
    public void Every_grouping_of_a_days_cells_sums_to_the_distinct_minutes_of_its_own_windows()
    {
        for (int seed = 0; seed < 400; seed++)
        {
            var random = new Random(seed);
            var windows = Enumerable.Range(0, random.Next(1, 25)).Select(_ => RandomWindow(random, Timestamps.StartOfDay(Day), 1440)).ToList();
            var pieces = windows.SelectMany(w => WindowMeters.Pieces(Catalog, w, Day, Day.AddDays(1))).ToList();
            var cells = DayCells.Combine(Catalog, pieces).ToList();
            foreach (var g in Groupings)
                Assert.Equal(ExpectedMinutes(windows, Day, g).OrderBy(kv => kv.Key), ActualMinutes(cells, g).OrderBy(kv => kv.Key));
            Assert.Equal(cells.Count, cells.Select(c => c.Key).Distinct().Count());
        }
    }

    [Fact]
    public void Three_replicas_up_all_day_are_1440_standby_minutes_and_259200_uptime_seconds()
    {
        var key = new CellKey("w1", "p1", "", "", "l1", null);
        long start = Timestamps.StartOfDay(Day);
        var windows = Enumerable.Range(0, 3).Select(_ => new WindowFacts(key, start, start + Timestamps.MicrosPerDay, new Dictionary<string, long>())).ToList();
        var cell = Assert.Single(DayCells.Combine(Catalog, [.. windows.SelectMany(w => WindowMeters.Pieces(Catalog, w, Day, Day.AddDays(1)))]));
        Assert.Equal(1440, Cells.Get(cell, "standby_minutes"));
        Assert.Equal(259_200L * 1_000_000, Cells.Get(cell, "agent_uptime_seconds"));
    }

    [Fact]
    public void Pieces_split_counts_and_uptime_exactly_as_the_per_day_split_does()
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var w = RandomWindow(random, Timestamps.StartOfDay(Day), 1440);
            var runs = w.Counts[UsageReport.RunsMeasure];
            var nodes = w.Counts[UsageReport.NodesMeasure];
            var expected = WindowSplit.ByUtcDay(w.FromMicros, w.ToMicros, runs, nodes);
            var pieces = WindowMeters.Pieces(Catalog, w, DateOnly.MinValue, DateOnly.MaxValue).ToList();
            Assert.Equal(expected.Select(s => s.Day), pieces.Select(p => p.Day));
            Assert.Equal(expected.Select(s => (long)s.Runs), pieces.Select(p => (long)p.Additive[Catalog.SlotOf(Catalog.Find("agent_runs")!, MinuteScope.Deployment)]));
            Assert.Equal(expected.Select(s => (long)s.Nodes), pieces.Select(p => (long)p.Additive[Catalog.SlotOf(Catalog.Find("nodes_executed")!, MinuteScope.Deployment)]));
            Assert.Equal(expected.Select(s => s.UptimeMicros), pieces.Select(p => (long)p.Additive[Catalog.SlotOf(Catalog.Find("agent_uptime_seconds")!, MinuteScope.Deployment)]));
        }
    }

    [Fact]
    public void Streaming_windows_in_first_day_order_gives_every_days_cells_as_if_the_day_were_read_whole()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            DateOnly from = Day, to = Day.AddDays(6);
            // Some windows began before the range and reach into it; they come first, like span pointers.
            var windows = Enumerable.Range(0, random.Next(1, 40)).Select(_ => RandomWindow(random, Timestamps.StartOfDay(Day.AddDays(-3)), 9 * 1440))
                .OrderBy(w => Timestamps.DayOf(w.FromMicros)).ToList();
            var stream = new WindowDays(Catalog, from, to);
            var streamed = windows.SelectMany(stream.Add).ToList();
            streamed.AddRange(stream.Complete());

            var whole = windows.SelectMany(w => WindowMeters.Pieces(Catalog, w, from, to)).GroupBy(p => p.Day)
                .SelectMany(g => DayCells.Combine(Catalog, [.. g]).Select(c => (g.Key, c))).ToList();
            Assert.Equal(whole.OrderBy(x => x.Item1).ThenBy(x => x.Item2.Key), streamed.OrderBy(x => x.Day).ThenBy(x => x.Cell.Key));
            for (var d = from; d < to; d = d.AddDays(1))
                Assert.Equal(ExpectedMinutes(windows, d, GroupBy.Workspace).OrderBy(kv => kv.Key), ActualMinutes(streamed.Where(x => x.Day == d).Select(x => x.Cell), GroupBy.Workspace).OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void A_window_out_of_first_day_order_is_refused_rather_than_miscounted()
    {
        var stream = new WindowDays(Catalog, Day, Day.AddDays(3));
        long second = Timestamps.StartOfDay(Day.AddDays(1));
        _ = stream.Add(new WindowFacts(RandomKey(new Random(1)), second, second + 60_000_000, new Dictionary<string, long>())).ToList();
        Assert.Throws<InvalidOperationException>(() => stream.Add(new WindowFacts(RandomKey(new Random(2)), second - 60_000_000, second, new Dictionary<string, long>())).ToList());
    }
}
