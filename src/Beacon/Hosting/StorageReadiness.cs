using Beacon.Storage.Stores;

namespace Beacon.Hosting;

/// <summary>
/// Tables and containers exist before the first request that uses them — and no earlier: the process
/// starts answering at once (a page, the meter catalog, the OpenAPI document need no storage), and the
/// first request that needs storage waits for one check (two listings when everything exists). A
/// check that fails (storage unreachable) is tried again by the next request.
/// </summary>
public sealed class StorageReadiness(Tables tables)
{
    private readonly Lock _gate = new();
    private Task? _ready;

    public Task EnsureAsync(CancellationToken ct)
    {
        Task ready;
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled) _ready = tables.EnsureCreatedAsync(CancellationToken.None);
            ready = _ready;
        }
        return ready.IsCompletedSuccessfully ? Task.CompletedTask : ready.WaitAsync(ct);
    }
}
