using NCrontab;

namespace Beacon.Hosting;

/// <summary>The NCRONTAB dialect of the Functions timer trigger: six fields, seconds first, UTC.</summary>
public static class CronSchedule
{
    public static bool TryParse(string expression, out CrontabSchedule? schedule)
    {
        schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return schedule is not null;
    }

    public static DateTimeOffset NextAfter(string expression, DateTimeOffset now)
    {
        if (!TryParse(expression, out var s)) throw new FormatException($"Not a 6-field NCRONTAB expression: {expression}");
        return new DateTimeOffset(s!.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
    }
}
