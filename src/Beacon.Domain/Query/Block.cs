namespace Beacon.Domain.Query;

/// <summary>The granularities the rollup precomputes: UTC days, ISO weeks (Monday) and calendar months.</summary>
public enum BlockSize
{
    Day,
    Week,
    Month,
}

/// <summary>A calendar-aligned span of whole UTC days.</summary>
public readonly record struct Block(BlockSize Size, DateOnly Start)
{
    public DateOnly End => Size switch
    {
        BlockSize.Day => Start.AddDays(1),
        BlockSize.Week => Start.AddDays(7),
        _ => Start.AddMonths(1),
    };

    public IEnumerable<DateOnly> Days()
    {
        for (var d = Start; d < End; d = d.AddDays(1)) yield return d;
    }

    public static Block WeekOf(DateOnly day) => new(BlockSize.Week, day.AddDays(-DaysSinceMonday(day)));

    public static Block MonthOf(DateOnly day) => new(BlockSize.Month, new DateOnly(day.Year, day.Month, 1));

    public static int DaysSinceMonday(DateOnly day) => ((int)day.DayOfWeek + 6) % 7;
}

/// <summary>One piece of a bucket: a rolled-up block, or a day that must be read from raw records.</summary>
public readonly record struct PlannedBlock(Block Block, bool FromRollup);

/// <summary>
/// Decomposes a range of whole days into the largest usable precomputed blocks: calendar months,
/// then ISO weeks inside what is left, then days; a day without a usable rollup is read raw.
/// </summary>
public static class BlockPlanner
{
    public static IReadOnlyList<PlannedBlock> Plan(DateOnly from, DateOnly to, Func<Block, bool> usable)
    {
        var plan = new List<PlannedBlock>();
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
