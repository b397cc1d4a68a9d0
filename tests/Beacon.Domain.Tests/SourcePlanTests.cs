using Beacon.Domain.Query;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class SourcePlanTests
{
    [Fact]
    public void Runs_cover_the_range_once_in_order_and_raw_runs_are_read_as_days()
    {
        for (int seed = 0; seed < 500; seed++)
        {
            var random = new Random(seed);
            var from = new DateOnly(2026, 1, 1).AddDays(random.Next(0, 60));
            var to = from.AddDays(random.Next(1, 200));
            var dirty = Enumerable.Range(0, random.Next(0, 5)).Select(_ => from.AddDays(random.Next(0, 200))).ToHashSet();
            var coveredTo = from.AddDays(random.Next(0, 220));
            bool Usable(Block b) => b.End <= coveredTo && !b.Days().Any(dirty.Contains);
            foreach (var largest in Enum.GetValues<BlockSize>())
            {
                var runs = SourcePlan.For(from, to, Usable, largest);
                Assert.Equal(from, runs[0].Start);
                Assert.Equal(to, runs[^1].End);
                for (int i = 1; i < runs.Count; i++) Assert.Equal(runs[i - 1].End, runs[i].Start);
                Assert.All(runs, r => Assert.True(r.FromRollup || r.Size == BlockSize.Day));
                Assert.All(runs, r => Assert.True(r.Size <= largest));
                // Nothing is read from a rollup that is not usable.
                foreach (var r in runs.Where(r => r.FromRollup))
                    for (var d = r.Start; d < r.End; d = d.AddDays(1)) Assert.True(d < coveredTo && !dirty.Contains(d));
            }
        }
    }

    [Fact]
    public void Statements_read_days_and_queries_read_months_where_they_can()
    {
        var from = new DateOnly(2026, 3, 1);
        var to = new DateOnly(2026, 5, 1);
        Assert.Equal([new SourceRun(true, BlockSize.Month, from, to)], SourcePlan.For(from, to, _ => true, BlockSize.Month));
        Assert.Equal([new SourceRun(true, BlockSize.Day, from, to)], SourcePlan.For(from, to, _ => true, BlockSize.Day));
        Assert.Equal([new SourceRun(false, BlockSize.Day, from, to)], SourcePlan.For(from, to, _ => false, BlockSize.Month));
    }

    [Fact]
    public void Buckets_read_together_read_what_each_bucket_would_and_a_daily_month_is_one_read()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var from = new DateOnly(2026, 1, 1).AddDays(random.Next(0, 60));
            var stride = new[] { 1, 7, 30 }[random.Next(3)];
            var buckets = Enumerable.Range(0, random.Next(1, 15)).Select(i => (Start: from.AddDays(i * stride), End: from.AddDays((i + 1) * stride))).ToList();
            var dirty = Enumerable.Range(0, random.Next(0, 4)).Select(_ => from.AddDays(random.Next(0, 400))).ToHashSet();
            var coveredTo = from.AddDays(random.Next(0, 450));
            bool Usable(Block b) => b.End <= coveredTo && !b.Days().Any(dirty.Contains);
            foreach (var largest in Enum.GetValues<BlockSize>())
            {
                var together = SourcePlan.ForBuckets(buckets, Usable, largest);
                var apart = buckets.SelectMany(b => SourcePlan.For(b.Start, b.End, Usable, largest)).ToList();
                // The same day comes from the same source in blocks of the same size: no block straddles a bucket's end.
                Assert.Equal(Days(apart), Days(together));
                Assert.True(together.Count <= apart.Count);
                // A read that goes on into a later bucket spans at most a month, so a long answer starts after its first month.
                foreach (var run in together.Where(r => buckets.Count(b => b.Start < r.End && b.End > r.Start) > 1))
                    Assert.InRange(run.End.DayNumber - run.Start.DayNumber, 1, SourcePlan.MaxDaysAcrossBuckets);
            }
        }

        var month = Enumerable.Range(0, 30).Select(i => (new DateOnly(2026, 6, 1).AddDays(i), new DateOnly(2026, 6, 1).AddDays(i + 1))).ToList();
        Assert.Equal([new SourceRun(true, BlockSize.Day, new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 1))], SourcePlan.ForBuckets(month, _ => true, BlockSize.Month));
        Assert.Equal([new SourceRun(false, BlockSize.Day, new DateOnly(2026, 6, 1), new DateOnly(2026, 7, 1))], SourcePlan.ForBuckets(month, _ => false, BlockSize.Month));

        var weeks = Enumerable.Range(0, 9).Select(i => (new DateOnly(2025, 1, 1).AddDays(7 * i), new DateOnly(2025, 1, 1).AddDays(Math.Min(7 * i + 7, 59)))).ToList();
        Assert.Equal(
            [new SourceRun(false, BlockSize.Day, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 29)), new SourceRun(false, BlockSize.Day, new DateOnly(2025, 1, 29), new DateOnly(2025, 3, 1))],
            SourcePlan.ForBuckets(weeks, _ => false, BlockSize.Month));

        static List<(DateOnly, bool, BlockSize)> Days(IEnumerable<SourceRun> runs) =>
            [.. runs.SelectMany(r => Enumerable.Range(0, r.End.DayNumber - r.Start.DayNumber).Select(d => (r.Start.AddDays(d), r.FromRollup, r.Size)))];
    }

    [Theory]
    [InlineData("lic-a", "", "lic-a")]
    [InlineData("", "lic-a", "lic-a")]
    [InlineData("lic-b", "lic-a", "lic-b")]
    [InlineData("", "", "")]
    public void The_license_sticks_when_an_api_key_copy_replaces_a_licensed_window(string incoming, string stored, string billed) =>
        Assert.Equal(billed, BilledLicense.OnSupersede(incoming, stored));
}
