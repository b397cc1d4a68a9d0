using Beacon.Storage.Client;

namespace Beacon.Storage.Rollups;

/// <summary>
/// A held blob lease: one holder at a time across every instance. Renewed in the background at half
/// its duration; if a renewal fails the holder has lost it, and <see cref="Lost"/> is cancelled so the
/// work stops. A crashed holder simply stops renewing: the lease expires after its duration.
/// </summary>
public sealed class BlobLease : IAsyncDisposable
{
    private readonly BlobContainerClient _container;
    private readonly string _blob;
    private readonly string _leaseId;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    private BlobLease(BlobContainerClient container, string blob, string leaseId, TimeSpan duration)
    {
        _container = container;
        _blob = blob;
        _leaseId = leaseId;
        _renewal = RenewAsync(duration / 2);
    }

    /// <summary>Cancelled when the lease could not be renewed: stop working, someone else may hold it now.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lease, creating the blob if needed; null when another holder has it.</summary>
    public static async Task<BlobLease?> TryAcquireAsync(BlobContainerClient container, string blob, TimeSpan duration, CancellationToken ct)
    {
        if (await container.GetPropertiesAsync(blob, ct) is null)
            await container.PutAsync(blob, Array.Empty<byte>(), "application/octet-stream", condition: BlobCondition.CreateOnly, ct: ct);
        var id = await container.AcquireLeaseAsync(blob, duration, ct);
        return id is null ? null : new BlobLease(container, blob, id, duration);
    }

    private async Task RenewAsync(TimeSpan every)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, _stop.Token);
                if (!await _container.RenewLeaseAsync(_blob, _leaseId, _stop.Token))
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Released.
        }
        catch (Exception)
        {
            // Storage unreachable: assume the lease is lost rather than work on without it.
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        try
        {
            await _container.ReleaseLeaseAsync(_blob, _leaseId, CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            // It expires on its own.
        }
        _lost.Dispose();
        _stop.Dispose();
    }
}
