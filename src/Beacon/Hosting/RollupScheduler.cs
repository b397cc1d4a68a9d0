using Beacon.Settings;
using Beacon.Storage.Maintenance;
using Microsoft.Extensions.Options;

namespace Beacon.Hosting;

/// <summary>
/// Standalone mode's timer: runs the rollup on the same NCRONTAB schedule the function app's
/// <c>Rollup</c> timer declares. Off in the isolated worker, where the Functions host owns the timer.
/// A failed run is logged and retried at the next occurrence (runs are idempotent and resumable).
/// </summary>
internal sealed class RollupScheduler(Deferred<MaintenanceRun> maintenance, IOptions<BeaconOptions> options, TimeProvider time, ILogger<RollupScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunScheduler) return;
        await Task.Yield(); // off the start-up path
        var run = maintenance.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = CronSchedule.NextAfter(options.Value.RollupSchedule, now);
            await Task.Delay(next - now, time, stoppingToken);
            try
            {
                var report = await run.RunAsync(ct: stoppingToken);
                RollupLog.Write(logger, report);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Rollup run failed; the next run will redo its work");
            }
        }
    }
}
