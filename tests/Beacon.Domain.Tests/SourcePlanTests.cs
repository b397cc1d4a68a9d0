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

    [Theory]
    [InlineData("lic-a", "", "lic-a")]
    [InlineData("", "lic-a", "lic-a")]
    [InlineData("lic-b", "lic-a", "lic-b")]
    [InlineData("", "", "")]
    public void The_license_sticks_when_an_api_key_copy_replaces_a_licensed_window(string incoming, string stored, string billed) =>
        Assert.Equal(billed, BilledLicense.OnSupersede(incoming, stored));
}
