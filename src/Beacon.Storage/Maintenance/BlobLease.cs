using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Beacon.Storage.Maintenance;

/// <summary>
/// A held blob lease: one holder at a time across every instance. The holder knows how long the lease
/// is certainly still its own: the lease duration counted from when the last successful acquire or
/// renew was *sent*, less a safety margin. <see cref="Lost"/> is cancelled at that moment unless a
/// renewal succeeded first, and every renewal must finish before it, so slow or retried renewals can
/// never let work continue after another instance could have taken the lease. A crashed holder stops
/// renewing and the lease expires after its duration. The renewals and the deadline run on the
/// <see cref="TimeProvider"/>'s timestamps and timers, so tests move them without waiting.
/// </summary>
public sealed class BlobLease : IAsyncDisposable
{
    private readonly BlobLeaseClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly TimeSpan _margin;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _deadline;
    private readonly Task _renewal;
    private long _validUntil; // the time provider's timestamps

    private BlobLease(BlobLeaseClient client, TimeProvider time, TimeSpan duration, long sentAt)
    {
        _client = client;
        _time = time;
        _duration = duration;
        _margin = duration / 6;
        _deadline = time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), _lost, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Extend(sentAt);
        _renewal = RenewAsync(duration / 3);
    }

    /// <summary>Cancelled when the lease may no longer be held: stop working, someone else may hold it now.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Takes the lease (15–60 s), creating the blob if needed; null when another holder has it.</summary>
    public static async Task<BlobLease?> TryAcquireAsync(BlobClient blob, TimeSpan duration, TimeProvider time, CancellationToken ct)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists already (and may be leased): fine.
        }
        var client = blob.GetBlobLeaseClient(Guid.NewGuid().ToString("D"));
        long sentAt = time.GetTimestamp();
        try
        {
            await client.AcquireAsync(duration, cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
        return new BlobLease(client, time, duration, sentAt);
    }

    private void Extend(long sentAt)
    {
        var until = sentAt + (long)((_duration - _margin).TotalSeconds * _time.TimestampFrequency);
        Volatile.Write(ref _validUntil, until);
        var left = Remaining();
        if (left <= TimeSpan.Zero) _lost.Cancel();
        else _deadline.Change(left, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan Remaining() => TimeSpan.FromSeconds((double)(Volatile.Read(ref _validUntil) - _time.GetTimestamp()) / _time.TimestampFrequency);

    // The deadline's timer may fire while the lease is being disposed.
    private static void CancelQuietly(CancellationTokenSource lost)
    {
        try
        {
            lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Released already.
        }
    }

    private async Task RenewAsync(TimeSpan every)
    {
        try
        {
            while (!_lost.IsCancellationRequested)
            {
                await Task.Delay(every, _time, _stop.Token);
                long sentAt = _time.GetTimestamp();
                // The renewal (with the SDK's retries) must finish while the lease is certainly still held.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lost.Token);
                await _client.RenewAsync(cancellationToken: deadline.Token);
                Extend(sentAt);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released.
        }
        catch (Exception)
        {
            // Lost, refused or unreachable: assume the lease is gone rather than work on without it.
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        await _deadline.DisposeAsync();
        if (!_lost.IsCancellationRequested)
        {
            // Releasing only saves the next run the rest of the lease, so it is not worth waiting longer than that.
            using var worthIt = new CancellationTokenSource(_duration, _time);
            try
            {
                await _client.ReleaseAsync(cancellationToken: worthIt.Token);
            }
            // AggregateException: the SDK's "retry failed" after every try timed out or broke.
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or AggregateException)
            {
                // It expires on its own.
            }
        }
        _lost.Dispose();
        _stop.Dispose();
    }
}
