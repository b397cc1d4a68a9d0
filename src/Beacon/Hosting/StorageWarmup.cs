namespace Beacon.Hosting;

/// <summary>Starts the storage check in the background as the process starts, so the first request that needs storage rarely waits for it.</summary>
internal sealed class StorageWarmup(Deferred<StorageReadiness> readiness, ILogger<StorageWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // On the thread pool: building the storage clients is off the start-up path too.
        _ = Task.Run(() => readiness.Value.EnsureAsync(CancellationToken.None), CancellationToken.None).ContinueWith(
            t => logger.LogWarning("Storage is not reachable yet ({Error}); requests that need it will try again", t.Exception?.InnerException?.GetType().Name),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
