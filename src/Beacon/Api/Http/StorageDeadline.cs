namespace Beacon.Api.Http;

/// <summary>
/// One request's storage deadline (<see cref="RequestDeadline"/>): its token is cancelled when the client leaves, or
/// when the deadline passes before the answer has started streaming. Whether the answer starts and whether the
/// deadline fires are decided under one lock, so a deadline that passes while an answer is being formatted (no
/// storage call in flight to notice it) can no longer let the answer start and then cut it at its next read: either
/// the answer starts and the deadline no longer applies, or the deadline has passed and the answer does not start
/// (a 503 before the first byte).
/// </summary>
internal sealed class StorageDeadline : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _passed;
    private bool _streaming;

    public StorageDeadline(TimeSpan after, TimeProvider time, CancellationToken client)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(client);
        _timer = time.CreateTimer(_ => Pass(), null, after, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>
    /// Called just before an answer's first byte: true, and the deadline no longer applies; false when it has passed
    /// already (the caller must not start the answer).
    /// </summary>
    public bool TryStartStreaming()
    {
        lock (_gate)
        {
            if (_passed) return false;
            _streaming = true;
        }
        _timer.Dispose();
        return true;
    }

    /// <summary><see cref="TryStartStreaming"/>, refusing the start with the deadline's cancellation when it has passed.</summary>
    public void StartStreaming()
    {
        if (!TryStartStreaming()) throw new OperationCanceledException("The storage deadline passed before the answer started.", Token);
    }

    private void Pass()
    {
        lock (_gate)
        {
            if (_streaming) return;
            _passed = true;
        }
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the request ended meanwhile
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cts.Dispose();
    }
}
