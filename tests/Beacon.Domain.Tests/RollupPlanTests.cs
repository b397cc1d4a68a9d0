using Beacon.Domain.Query;
using Beacon.Domain.Rollups;
using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class RollupPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ClearBefore = Now.AddMinutes(-10);

    private static DateOnly D(int month, int day) => new(2026, month, day);

    [Fact]
    public void A_new_org_starts_at_the_monday_before_its_first_month_and_advances_a_month_at_a_time()
    {
        var steps = RollupPlan.For(null, D(3, 10), [], D(6, 14), ClearBefore);

        Assert.All(steps, s => Assert.Equal(RollupStepKind.Advance, s.Kind));
        Assert.Equal(D(2, 23), steps[0].From); // March 1st is a Sunday
        Assert.Equal([D(3, 1), D(4, 1), D(5, 1), D(6, 1), D(6, 15)], steps.Select(s => s.To));
        Assert.Equal(new Coverage(D(2, 23), D(6, 14)), steps[^1].CoverageAfter);
    }

    [Fact]
    public void Dirty_covered_days_are_recomputed_and_the_mark_is_cleared_with_the_step_that_finishes_it()
    {
        var covered = new Coverage(D(1, 1), D(6, 14));
        var mark = new DirtyMark(D(3, 30), D(4, 2), ClearBefore.AddMinutes(-1));

        var steps = RollupPlan.For(covered, D(1, 1), [mark], D(6, 14), ClearBefore);

        Assert.Equal([(D(3, 30), D(4, 1)), (D(4, 1), D(4, 3))], steps.Select(s => (s.From, s.To)));
        Assert.Empty(steps[0].Clears);
        Assert.Equal([mark], steps[1].Clears);
    }

    [Fact]
    public void A_mark_reaching_before_coverage_is_cleared_only_when_the_backfill_is_done()
    {
        var mark = new DirtyMark(D(1, 20), D(4, 2), ClearBefore.AddDays(-1));
        var steps = RollupPlan.For(new Coverage(D(3, 30), D(6, 14)), D(3, 30), [mark], D(6, 14), ClearBefore);
        var clearing = steps.Single(s => s.Clears.Count > 0);
        Assert.Equal(RollupStepKind.Backfill, clearing.Kind);
        Assert.Equal(clearing, steps.Last(s => s.Kind == RollupStepKind.Backfill));
    }

    [Fact]
    public void A_mark_younger_than_the_grace_is_recomputed_but_never_cleared()
    {
        var young = new DirtyMark(D(5, 5), D(5, 5), ClearBefore.AddSeconds(1));
        var steps = RollupPlan.For(new Coverage(D(1, 1), D(6, 14)), D(1, 1), [young], D(6, 14), ClearBefore);
        Assert.Equal((D(5, 5), D(5, 6)), (steps.Single().From, steps.Single().To));
        Assert.Empty(steps.Single().Clears);
    }

    [Fact]
    public void With_a_past_run_time_dirty_days_covered_after_it_are_still_recomputed_before_their_mark_is_cleared()
    {
        // Coverage reaches June 14th, but this run acts as of May 1st (beacon rollup --now).
        var mark = new DirtyMark(D(6, 1), D(6, 3), ClearBefore.AddDays(-1));
        var steps = RollupPlan.For(new Coverage(D(1, 1), D(6, 14)), D(1, 1), [mark], D(4, 30), ClearBefore);
        Assert.Equal((D(6, 1), D(6, 4)), (steps.Single().From, steps.Single().To));
        Assert.Equal([mark], steps.Single().Clears);
    }

    [Fact]
    public void Late_data_before_coverage_extends_it_backwards_to_an_aligned_start()
    {
        var steps = RollupPlan.For(new Coverage(D(3, 30), D(6, 14)), D(3, 30), [new DirtyMark(D(1, 20), D(1, 20), ClearBefore.AddDays(-1))], D(6, 14), ClearBefore);
        var backfill = steps.Where(s => s.Kind == RollupStepKind.Backfill).ToList();
        Assert.Equal(D(12, 29).AddYears(-1), backfill[^1].CoverageAfter.FirstDay); // the Monday before January 1st
        Assert.Equal(D(3, 30), backfill[0].To);
        Assert.All(backfill.Zip(backfill.Skip(1)), p => Assert.Equal(p.First.From, p.Second.To));
    }

    [Fact]
    public void Property_after_any_prefix_of_the_plan_every_stale_covered_day_is_still_marked_and_after_all_of_it_none_is_stale()
    {
        for (int seed = 1; seed <= 3000; seed++)
        {
            var random = new Random(seed);
            var origin = RollupPlan.Align(D(1, 1).AddDays(random.Next(0, 200))); // saved coverage always starts aligned
            Coverage? progress = random.Next(5) == 0 ? null : new Coverage(origin, origin.AddDays(random.Next(-1, 150)));
            var created = origin.AddDays(random.Next(-30, 30));
            var lastClosed = origin.AddDays(random.Next(-10, 220));
            var marks = Enumerable.Range(0, random.Next(0, 6)).Select(_ =>
            {
                var first = origin.AddDays(random.Next(-120, 230));
                return new DirtyMark(first, first.AddDays(random.Next(0, random.Next(2) == 0 ? 3 : 60)), ClearBefore.AddSeconds(random.Next(-600, 60)));
            }).ToList();

            var steps = RollupPlan.For(progress, created, marks, lastClosed, ClearBefore);

            // Stale: covered and touched by a mark, until a step recomputes it.
            var coverage = progress ?? RollupPlan.Initial(created, lastClosed);
            var stale = DaysOf(coverage).Where(d => marks.Any(m => d >= m.First && d <= m.Last)).ToHashSet();
            var remaining = marks.ToList();
            void Check(string when)
            {
                foreach (var d in stale.Where(coverage.Contains))
                    Assert.True(remaining.Any(m => d >= m.First && d <= m.Last), $"seed {seed}, {when}: {d} is stale, covered and no longer marked");
            }
            Check("before the first step");
            foreach (var (step, i) in steps.Select((s, i) => (s, i)))
            {
                var added = DaysOf(step.CoverageAfter).Except(DaysOf(coverage)).ToList();
                Assert.True(added.All(d => d >= step.From && d < step.To), $"seed {seed}, step {i}: coverage grew by days it did not recompute");
                Assert.True(step.CoverageAfter.FirstDay <= coverage.FirstDay && step.CoverageAfter.RolledThrough >= coverage.RolledThrough, $"seed {seed}: coverage shrank");
                Assert.True(step.Days <= 38, $"seed {seed}, step {i}: {step.Days} days in one step"); // a month and the week that aligns it
                for (var d = step.From; d < step.To; d = d.AddDays(1)) stale.Remove(d);
                coverage = step.CoverageAfter;
                foreach (var cleared in step.Clears)
                {
                    Assert.True(cleared.MarkedAt < ClearBefore, $"seed {seed}: a mark younger than the grace was cleared");
                    remaining.Remove(cleared);
                }
                Check($"after step {i}");
            }
            Assert.DoesNotContain(stale, coverage.Contains);
            Assert.True(coverage.RolledThrough >= lastClosed);
            Assert.Equal(DayOfWeek.Monday, coverage.FirstDay.DayOfWeek);
            Assert.All(marks.Where(m => m.MarkedAt < ClearBefore), m => Assert.DoesNotContain(m, remaining));
        }
    }

    private static IEnumerable<DateOnly> DaysOf(Coverage c) => c.RolledThrough < c.FirstDay ? [] : DayRuns.Each(c.FirstDay, c.RolledThrough);

    [Fact]
    public void Weeks_and_months_are_composed_only_when_whole_inside_coverage()
    {
        var coverage = new Coverage(D(3, 2), D(4, 30));
        var weeks = RollupPlan.BlocksToCompose(D(4, 27), D(5, 1), coverage, Block.WeekOf);
        var months = RollupPlan.BlocksToCompose(D(3, 30), D(4, 2), coverage, Block.MonthOf);
        Assert.Empty(weeks); // the week of April 27th ends May 3rd
        Assert.Equal([new Block(BlockSize.Month, D(4, 1))], months); // March is not whole inside coverage
    }
}
