namespace Beacon.Domain.Query;

/// <summary>A calendar-aligned span of whole UTC days.</summary>
public readonly record struct Block(BlockSize Size, DateOnly Start)
{
    public DateOnly End => Size switch
    {
        BlockSize.Day => Start.AddDays(1),
        BlockSize.Week => Start.AddDays(7),
        BlockSize.Month => Start.AddMonths(1),
    };

    public IEnumerable<DateOnly> Days()
    {
        for (var d = Start; d < End; d = d.AddDays(1)) yield return d;
    }

    public static Block WeekOf(DateOnly day) => new(BlockSize.Week, day.AddDays(-DaysSinceMonday(day)));

    public static Block MonthOf(DateOnly day) => new(BlockSize.Month, new DateOnly(day.Year, day.Month, 1));

    public static int DaysSinceMonday(DateOnly day) => ((int)day.DayOfWeek + 6) % 7;
}
