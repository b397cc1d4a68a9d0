using Beacon.Alerts;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Beacon.Functions;

/// <summary>The Alerts timer (SPEC §18): the same run as <c>serve</c>'s scheduler, every minute. An exception fails the invocation; the next one redoes the work.</summary>
public sealed class AlertsFunction(AlertsRun run, ILogger<AlertsFunction> logger)
{
    [Function("Alerts")]
    public async Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var report = await run.RunAsync(ct);
        logger.LogInformation("Alerts run: {Emitted} events emitted, {Attempts} delivery attempts", report.EventsEmitted, report.Attempts);
    }
}
