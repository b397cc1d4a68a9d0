using Beacon.Settings;
using Beacon.Alerts;
using Microsoft.Extensions.Options;

namespace Beacon.Hosting;

/// <summary>
/// Standalone mode's <c>Alerts</c> timer: an alerts run at the start of every minute, like the function app's
/// timer. Off where the host owns timers (the isolated worker) or the scheduler is off (tests drive runs
/// themselves). A failed run is logged; the next one redoes its work.
/// </summary>
internal sealed class AlertsScheduler(Deferred<AlertsRun> alerts, IOptions<BeaconOptions> options, TimeProvider time, ILogger<AlertsScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunScheduler) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            await Task.Delay(TimeSpan.FromSeconds(60 - now.Second) - TimeSpan.FromMilliseconds(now.Millisecond), time, stoppingToken);
            try
            {
                var report = await alerts.Value.RunAsync(stoppingToken);
                if (report.EventsEmitted + report.Attempts + report.FanoutsFinished > 0)
                    logger.LogInformation("Alerts run: {Emitted} events emitted, {Attempts} delivery attempts, {Fanouts} fan-outs finished", report.EventsEmitted, report.Attempts, report.FanoutsFinished);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Alerts run failed; the next run redoes its work");
            }
        }
    }
}
