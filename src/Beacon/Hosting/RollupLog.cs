using Beacon.Storage.Rollups;

namespace Beacon.Hosting;

/// <summary>One line per org a run touched, for the service log and the Functions invocation log.</summary>
public static class RollupLog
{
    public static IReadOnlyList<string> Lines(RollupReport report) => report.Ran
        ? [.. report.Orgs.Where(o => o.DaysRecomputed + o.ExportsStaged + o.MarksCleared + o.StepsDeferred > 0 || o.Error is not null).Select(o =>
            $"org {o.OrgId}: {o.DaysRecomputed} days, {o.WeeksRecomputed} weeks, {o.MonthsRecomputed} months recomputed; " +
            $"{o.ExportsStaged} exports staged{(o.ExportsWaiting > 0 ? $" ({o.ExportsWaiting} wait for dirty days)" : "")}; {o.MarksCleared} dirty marks cleared; covered {o.FirstDay:yyyy-MM-dd}..{o.RolledThrough:yyyy-MM-dd}" +
            (o.StepsDeferred > 0 ? $"; {o.StepsDeferred} steps left for the next run" : "") +
            (o.Error is not null ? $"; stopped early: {o.Error}" : "")),
          $"rollup as of {report.Now:O}: {report.Orgs.Count} organizations"]
        : [$"rollup skipped: {report.SkippedReason}"];

    public static void Write(ILogger logger, RollupReport report)
    {
        foreach (var line in Lines(report)) logger.LogInformation("{RollupLine}", line);
    }
}
