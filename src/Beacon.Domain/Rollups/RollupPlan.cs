using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Domain.Rollups;

/// <summary>
/// What one rollup run does for one org, as an ordered list of steps. Pure: the job reads progress and
/// marks, asks for the plan and carries it out step by step, saving progress after each, so a run can
/// stop after any step (a crash, its fair share used up) and the next run simply plans again.
///
/// Exactness rests on two rules. A day is recomputed whenever a dirty mark touches it inside coverage,
/// and coverage only grows by recomputing the new days. A mark is cleared only after every day of it
/// that this run recomputes has been recomputed and saved, and only when it is older than the grace
/// period at the run's start, because writers mark first and finish writing within the grace: a run
/// that started later than that read everything the mark announced.
/// </summary>
public static class RollupPlan
{
    /// <param name="progress">The org's saved coverage; null before its first run.</param>
    /// <param name="orgCreated">The org's creation day: where coverage starts for a new org.</param>
    /// <param name="marks">Every dirty mark of the org.</param>
    /// <param name="lastClosed">The last UTC day that is over (and past the grace) as of the run's time.</param>
    /// <param name="clearBefore">Marks made before this instant (the run's start minus the grace) may be cleared.</param>
    public static IReadOnlyList<RollupStep> For(Coverage? progress, DateOnly orgCreated, IReadOnlyList<DirtyMark> marks, DateOnly lastClosed, DateTimeOffset clearBefore)
    {
        var steps = new List<(RollupStepKind Kind, DateOnly From, DateOnly To, Coverage After)>();
        var coverage = progress ?? Initial(orgCreated, lastClosed);

        // 1. Covered days that changed since they were computed, in month-sized runs.
        var dirty = marks.SelectMany(m => DayRuns.Each(Max(m.First, coverage.FirstDay), Min(m.Last, coverage.RolledThrough)));
        foreach (var run in DayRuns.Of(dirty))
            foreach (var (from, to) in MonthChunks(run.First, run.Last.AddDays(1)))
                steps.Add((RollupStepKind.Dirty, from, to, coverage));

        // 2. Late data before the covered range: extend it backwards, a month at a time.
        var earliest = marks.Count > 0 ? marks.Min(m => m.First) : coverage.FirstDay;
        var target = earliest < coverage.FirstDay ? Align(earliest) : coverage.FirstDay;
        while (coverage.FirstDay > target)
        {
            var chunkStart = Max(target, Align(coverage.FirstDay.AddDays(-1)));
            var next = coverage with { FirstDay = chunkStart };
            steps.Add((RollupStepKind.Backfill, chunkStart, coverage.FirstDay, next));
            coverage = next;
        }

        // 3. Days that closed since the last run: advance, a calendar month at a time.
        while (coverage.RolledThrough < lastClosed)
        {
            var first = coverage.RolledThrough.AddDays(1);
            var chunkEnd = Min(lastClosed, new DateOnly(first.Year, first.Month, 1).AddMonths(1).AddDays(-1));
            var next = coverage with { RolledThrough = chunkEnd };
            steps.Add((RollupStepKind.Advance, first, chunkEnd.AddDays(1), next));
            coverage = next;
        }

        // A mark is cleared with the last step that recomputes any of its days: until then a run that
        // stops part-way still knows those days changed (and, for days before coverage, that coverage
        // must grow back to them). A mark no step touches names only days after the run's last closed
        // day, which no rollup covers yet and queries read raw: it can go at the end.
        var clears = steps.Select(_ => new List<DirtyMark>()).ToList();
        var untouched = new List<DirtyMark>();
        foreach (var mark in marks.Where(m => m.MarkedAt < clearBefore))
        {
            int last = steps.FindLastIndex(s => s.From <= mark.Last && s.To > mark.First);
            if (last >= 0) clears[last].Add(mark);
            else untouched.Add(mark);
        }
        var plan = steps.Select((s, i) => new RollupStep(s.Kind, s.From, s.To, s.After, clears[i])).ToList();
        if (untouched.Count > 0) plan.Add(new RollupStep(RollupStepKind.Dirty, coverage.FirstDay, coverage.FirstDay, coverage, untouched));
        return plan;
    }

    /// <summary>Where a new org's (empty) coverage starts: aligned, at its creation or the first open day if earlier.</summary>
    public static Coverage Initial(DateOnly orgCreated, DateOnly lastClosed) => Coverage.EmptyAt(Align(Min(orgCreated, lastClosed.AddDays(1))));

    /// <summary>
    /// The Monday on or before the first of <paramref name="day"/>'s month: where coverage may start, so
    /// that the first week and the first month inside coverage are whole.
    /// </summary>
    public static DateOnly Align(DateOnly day)
    {
        var first = new DateOnly(day.Year, day.Month, 1);
        return first.AddDays(-Block.DaysSinceMonday(first));
    }

    /// <summary>The weeks or months (per <paramref name="blockOf"/>) that overlap [<paramref name="from"/>, <paramref name="to"/>) and lie inside <paramref name="coverage"/>.</summary>
    public static IReadOnlyList<Block> BlocksToCompose(DateOnly from, DateOnly to, Coverage coverage, Func<DateOnly, Block> blockOf)
    {
        var blocks = new List<Block>();
        for (var b = blockOf(from); b.Start < to; b = blockOf(b.End))
            if (coverage.Covers(b)) blocks.Add(b);
        return blocks;
    }

    private static IEnumerable<(DateOnly From, DateOnly To)> MonthChunks(DateOnly from, DateOnly to)
    {
        for (var s = from; s < to;)
        {
            var monthEnd = new DateOnly(s.Year, s.Month, 1).AddMonths(1);
            var e = Min(monthEnd, to);
            yield return (s, e);
            s = e;
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
