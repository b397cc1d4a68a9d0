namespace Beacon.Domain.Query;

/// <summary>
/// The rollup-or-raw choice, for every reader of usage (the granular API and statements): a range of whole
/// days becomes the largest usable precomputed blocks up to <c>largest</c> (months, ISO weeks, days) and
/// raw days for the rest, merged into runs that are one range read each. A block is usable when the
/// rollup covers it and no day in it changed since (<paramref name="usable"/>).
/// </summary>
public static class SourcePlan
{
    public static IReadOnlyList<SourceRun> For(DateOnly from, DateOnly to, Func<Block, bool> usable, BlockSize largest) =>
        ForBuckets([(from, to)], usable, largest);

    /// <summary>A read continues into the next bucket only while it spans at most this many days.</summary>
    public const int MaxDaysAcrossBuckets = 31;

    /// <summary>
    /// The runs of consecutive buckets: each bucket is planned on its own, as <see cref="For"/> plans a range, so no
    /// block straddles two buckets and a cell's period tells its bucket. A run continues into the next bucket when
    /// the source and block size go on and the run then spans at most <see cref="MaxDaysAcrossBuckets"/> days: a
    /// daily chart of a month is one read per source, not one per day, and a longer answer still starts after its
    /// first month is read, holding no more than a month's buckets at a time.
    /// </summary>
    public static IReadOnlyList<SourceRun> ForBuckets(IEnumerable<(DateOnly Start, DateOnly End)> buckets, Func<Block, bool> usable, BlockSize largest)
    {
        var runs = new List<SourceRun>();
        foreach (var (start, end) in buckets)
        {
            var bucketJoins = runs.Count > 0 && end.DayNumber - runs[^1].Start.DayNumber <= MaxDaysAcrossBuckets;
            var firstOfBucket = true;
            foreach (var p in BlockPlanner.Plan(start, end, usable, largest))
            {
                var size = p.FromRollup ? p.Block.Size : BlockSize.Day;
                if ((bucketJoins || !firstOfBucket) && runs.Count > 0 && runs[^1] is var last
                    && last.FromRollup == p.FromRollup && last.Size == size && last.End == p.Block.Start)
                    runs[^1] = last with { End = p.Block.End };
                else
                    runs.Add(new SourceRun(p.FromRollup, size, p.Block.Start, p.Block.End));
                firstOfBucket = false;
            }
        }
        return runs;
    }
}
