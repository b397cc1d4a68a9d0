namespace Beacon.Domain.Query;

/// <summary>
/// Decomposes a range of whole days into the largest usable precomputed blocks: calendar months,
/// then ISO weeks inside what is left, then days; a day without a usable rollup is read raw.
/// <c>largest</c> caps the block size (statements read days: they round uptime per day).
/// </summary>
public static class BlockPlanner
{
    public static IReadOnlyList<PlannedBlock> Plan(DateOnly from, DateOnly to, Func<Block, bool> usable, BlockSize largest = BlockSize.Month)
    {
        var plan = new List<PlannedBlock>();
        switch (largest)
        {
            case BlockSize.Day:
                PlanDays(from, to, usable, plan);
                return plan;
            case BlockSize.Week:
                PlanWeeks(from, to, usable, plan);
                return plan;
            case BlockSize.Month:
                break;
        }
        var firstMonth = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var monthsEnd = new DateOnly(to.Year, to.Month, 1);
        if (firstMonth < monthsEnd)
        {
            PlanWeeks(from, firstMonth, usable, plan);
            for (var m = firstMonth; m < monthsEnd; m = m.AddMonths(1))
            {
                var month = new Block(BlockSize.Month, m);
                if (usable(month)) plan.Add(new PlannedBlock(month, true));
                else PlanWeeks(m, month.End, usable, plan);
            }
            PlanWeeks(monthsEnd, to, usable, plan);
        }
        else
        {
            PlanWeeks(from, to, usable, plan);
        }
        return plan;
    }

    private static void PlanWeeks(DateOnly from, DateOnly to, Func<Block, bool> usable, List<PlannedBlock> plan)
    {
        if (from >= to) return;
        int lead = (7 - Block.DaysSinceMonday(from)) % 7;
        var firstWeek = from.AddDays(lead);
        var weeksEnd = to.AddDays(-Block.DaysSinceMonday(to));
        if (firstWeek >= weeksEnd)
        {
            PlanDays(from, to, usable, plan);
            return;
        }
        PlanDays(from, firstWeek, usable, plan);
        for (var w = firstWeek; w < weeksEnd; w = w.AddDays(7))
        {
            var week = new Block(BlockSize.Week, w);
            if (usable(week)) plan.Add(new PlannedBlock(week, true));
            else PlanDays(w, week.End, usable, plan);
        }
        PlanDays(weeksEnd, to, usable, plan);
    }

    private static void PlanDays(DateOnly from, DateOnly to, Func<Block, bool> usable, List<PlannedBlock> plan)
    {
        for (var d = from; d < to; d = d.AddDays(1))
        {
            var day = new Block(BlockSize.Day, d);
            plan.Add(new PlannedBlock(day, usable(day)));
        }
    }
}
