namespace Beacon.Storage.Client;

/// <summary>
/// Counts what the service is asked for: HTTP attempts (retries included) and Table entities returned.
/// The benchmark's query figure is a ratio of <see cref="EntitiesRead"/>, a deterministic number.
/// </summary>
public sealed class StorageMetrics
{
    private long _requests;
    private long _entitiesRead;
    private long _entitiesWritten;

    public long Requests => Interlocked.Read(ref _requests);
    public long EntitiesRead => Interlocked.Read(ref _entitiesRead);
    public long EntitiesWritten => Interlocked.Read(ref _entitiesWritten);

    internal void CountRequest() => Interlocked.Increment(ref _requests);
    internal void CountRead(long n) => Interlocked.Add(ref _entitiesRead, n);
    internal void CountWritten(long n) => Interlocked.Add(ref _entitiesWritten, n);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _entitiesRead, 0);
        Interlocked.Exchange(ref _entitiesWritten, 0);
    }
}
