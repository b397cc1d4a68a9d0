namespace Beacon.Domain.Query;

/// <summary>
/// The rollup-or-raw choice, for every reader of usage (the granular API and statements): a range of whole
/// days becomes the largest usable precomputed blocks up to <c>largest</c> (months, ISO weeks, days) and
/// raw days for the rest, merged into runs that are one range read each. A block is usable when the
/// rollup covers it and no day in it changed since (<paramref name="usable"/>).
/// </summary>
public static class SourcePlan
{
    public static IReadOnlyList<SourceRun> For(DateOnly from, DateOnly to, Func<Block, bool> usable, BlockSize largest)
    {
        var runs = new List<SourceRun>();
        foreach (var p in BlockPlanner.Plan(from, to, usable, largest))
        {
            var size = p.FromRollup ? p.Block.Size : BlockSize.Day;
            if (runs.Count > 0 && runs[^1] is var last && last.FromRollup == p.FromRollup && last.Size == size && last.End == p.Block.Start)
                runs[^1] = last with { End = p.Block.End };
            else
                runs.Add(new SourceRun(p.FromRollup, size, p.Block.Start, p.Block.End));
        }
        return runs;
    }
}
