using Beacon.Storage.Account;

namespace Beacon.Storage.Rollups;

/// <summary>
/// Runs a pure step of the timer's run again when storage faults outlast the SDK's own retries
/// (<see cref="RollupOptions.StepAttempts"/> attempts, the pause doubling from <see cref="RollupOptions.StepRetryDelay"/>):
/// a recomputation is always safe to repeat. A lost race (<see cref="StorageContentionException"/>) is not retried.
/// </summary>
public static class StepRetries
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> step, RollupOptions options, TimeProvider time, CancellationToken ct)
    {
        var delay = options.StepRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception e) when (attempt < options.StepAttempts && !ct.IsCancellationRequested
                                      && StorageFaults.IsTransient(e) && e is not StorageContentionException)
            {
                await Task.Delay(delay, time, ct);
                delay *= 2;
            }
        }
    }
}
