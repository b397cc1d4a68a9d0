using Beacon.Domain.Query;

namespace Beacon.Domain.Tests;

[Trait("Tier", "Slow")] // property datasets
public sealed class BlockPlannerTests
{
    [Fact]
    public void A_year_from_mid_month_uses_months_inside_and_weeks_and_days_at_the_edges()
    {
        var plan = BlockPlanner.Plan(new DateOnly(2025, 1, 10), new DateOnly(2026, 1, 10), _ => true);

        Assert.Equal(11, plan.Count(p => p.Block.Size == BlockSize.Month)); // February to December 2025
        Assert.Equal(new DateOnly(2025, 2, 1), plan.First(p => p.Block.Size == BlockSize.Month).Block.Start);
        Assert.All(plan.Where(p => p.Block.Size == BlockSize.Week), p => Assert.Equal(DayOfWeek.Monday, p.Block.Start.DayOfWeek));
        Assert.True(plan.Count < 11 + 8 + 14);
    }

    [Fact]
    public void Unusable_blocks_decompose_down_to_raw_days()
    {
        var dirty = new DateOnly(2026, 2, 11);
        var plan = BlockPlanner.Plan(new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1), b => !b.Days().Contains(dirty));

        Assert.DoesNotContain(plan, p => p.Block.Size == BlockSize.Month);
        Assert.Equal(new PlannedBlock(new Block(BlockSize.Day, dirty), false), Assert.Single(plan, p => !p.FromRollup));
        Assert.Contains(plan, p => p.Block == new Block(BlockSize.Week, new DateOnly(2026, 2, 16)));
    }

    /// <summary>Property: whatever is usable, the plan covers every day of the range exactly once, in order,
    /// uses only usable blocks from rollups, and only days are read raw.</summary>
    [Fact]
    public void Every_plan_covers_the_range_exactly_once()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 2000; trial++)
        {
            var from = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 900));
            var to = from.AddDays(random.Next(1, 800));
            var bad = Enumerable.Range(0, random.Next(0, 20)).Select(_ => from.AddDays(random.Next(0, to.DayNumber - from.DayNumber))).ToHashSet();
            bool allowWeeks = random.Next(2) == 0, allowMonths = random.Next(2) == 0;
            bool Usable(Block b) => !b.Days().Any(bad.Contains)
                && (b.Size != BlockSize.Week || allowWeeks) && (b.Size != BlockSize.Month || allowMonths);

            var plan = BlockPlanner.Plan(from, to, Usable);

            var days = plan.SelectMany(p => p.Block.Days()).ToList();
            Assert.Equal(Enumerable.Range(0, to.DayNumber - from.DayNumber).Select(from.AddDays), days);
            Assert.All(plan, p => Assert.Equal(p.FromRollup, Usable(p.Block)));
            Assert.All(plan.Where(p => !p.FromRollup), p => Assert.Equal(BlockSize.Day, p.Block.Size));
            Assert.All(plan.Where(p => p.Block.Size == BlockSize.Month), p => Assert.Equal(1, p.Block.Start.Day));
        }
    }
}
