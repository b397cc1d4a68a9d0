namespace Beacon.Api.Fleet;

/// <summary>
/// Runs <see cref="FleetRecorder.FlushAsync"/> every second, and the silence sweep in a loop of its own
/// (a mass silence can take the sweep minutes, and new deployments must still appear within 60 s); flushes
/// once more for everything pending at shutdown.
/// </summary>
internal sealed class FleetWriter(Deferred<FleetRecorder> recorder, TimeProvider time, ILogger<FleetWriter> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // off the start-up path
        await Task.WhenAll(LoopAsync(ct => recorder.Value.FlushAsync(all: false, ct), stoppingToken), LoopAsync(ct => recorder.Value.SweepIfDueAsync(ct), stoppingToken));
    }

    private async Task LoopAsync(Func<CancellationToken, Task<int>> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await work(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(10), time);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            if (recorder.IsValueCreated) await recorder.Value.FlushAsync(all: true, deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or Azure.RequestFailedException)
        {
            logger.LogWarning("Fleet records still pending at shutdown were not written: {Error}", e.GetType().Name);
        }
    }
}
