using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>
/// A validated granular usage query. <see cref="StartMicros"/> and <see cref="EndMicros"/> are already
/// normalized to UTC midnights (the day-granular contract); <see cref="WorkspaceIds"/> are canonical,
/// distinct and sorted.
/// </summary>
public sealed record UsageQuery(
    UsageKind Kind,
    GroupBy GroupBy,
    TraceTier? TierFilter,
    long StartMicros,
    long EndMicros,
    IReadOnlyList<string> WorkspaceIds)
{
    public DateOnly StartDay => Timestamps.DayOf(StartMicros);
    public DateOnly EndDay => Timestamps.DayOf(EndMicros);
    public int RangeDays => EndDay.DayNumber - StartDay.DayNumber;
    public int StrideDays => Stride.DaysFor(RangeDays);

    /// <summary>Bucket boundaries: start at the normalized start, advance by the stride, the last ends at the normalized end.</summary>
    public IReadOnlyList<(DateOnly Start, DateOnly End)> Buckets()
    {
        var list = new List<(DateOnly, DateOnly)>();
        for (var s = StartDay; s < EndDay; s = s.AddDays(StrideDays))
        {
            var e = s.AddDays(StrideDays);
            list.Add((s, e < EndDay ? e : EndDay));
        }
        return list;
    }
}
