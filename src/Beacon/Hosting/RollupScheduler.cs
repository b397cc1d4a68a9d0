using Beacon.Storage.Rollups;
using Microsoft.Extensions.Options;

namespace Beacon.Hosting;

/// <summary>
/// Standalone mode's timer: runs the rollup on the same NCRONTAB schedule the function app's
/// <c>Rollup</c> timer declares. Off in custom-handler mode, where the Functions host owns the timer.
/// A failed run is logged and retried at the next occurrence (runs are idempotent and resumable).
/// </summary>
internal sealed class RollupScheduler(RollupJob job, IOptions<BeaconOptions> options, TimeProvider time, ILogger<RollupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunScheduler) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = CronSchedule.NextAfter(options.Value.RollupSchedule, now);
            await Task.Delay(next - now, time, stoppingToken);
            try
            {
                var report = await job.RunAsync(ct: stoppingToken);
                RollupLog.Write(logger, report);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Rollup run failed; the next run will redo its work");
            }
        }
    }
}

/// <summary>One line per org a run touched, for the service log and the Functions invocation log.</summary>
internal static class RollupLog
{
    public static IReadOnlyList<string> Lines(RollupReport report) => report.Ran
        ? [.. report.Orgs.Where(o => o.DaysRecomputed + o.ExportsStaged + o.MarksCleared > 0).Select(o =>
            $"org {o.OrgId}: {o.DaysRecomputed} days, {o.WeeksRecomputed} weeks, {o.MonthsRecomputed} months recomputed; " +
            $"{o.ExportsStaged} exports staged; {o.MarksCleared} dirty marks cleared; covered {o.FirstDay:yyyy-MM-dd}..{o.RolledThrough:yyyy-MM-dd}"),
          $"rollup as of {report.Now:O}: {report.Orgs.Count} organizations"]
        : [$"rollup skipped: {report.SkippedReason}"];

    public static void Write(ILogger logger, RollupReport report)
    {
        foreach (var line in Lines(report)) logger.LogInformation("{RollupLine}", line);
    }
}
