using Beacon.Hosting;
using Beacon.Storage.Maintenance;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Beacon.Functions;

/// <summary>
/// The Rollup timer: the same run as <c>beacon rollup</c> and <c>serve</c>'s scheduler, on the schedule of the
/// <c>Beacon__RollupSchedule</c> app setting. An exception fails the invocation (the host logs it and the
/// next occurrence redoes the work: runs are idempotent and resumable).
/// </summary>
public sealed class RollupFunction(MaintenanceRun run, ILogger<RollupFunction> logger)
{
    [Function("Rollup")]
    public async Task Run([TimerTrigger("%Beacon:RollupSchedule%")] TimerInfo timer, CancellationToken ct)
    {
        var report = await run.RunAsync(ct: ct);
        RollupLog.Write(logger, report);
    }
}
