namespace Beacon.Storage.Account;

/// <summary>
/// What the service is asked for: HTTP attempts (retries included) and how many of them write, counted
/// by <see cref="RequestCountingPolicy"/>, and Table entities returned to the stores, counted by the
/// stores' reads. The benchmark's query figure is a ratio of <see cref="EntitiesRead"/>, a
/// deterministic number.
/// </summary>
public sealed class StorageMetrics
{
    private long _requests;
    private long _writes;
    private long _entitiesRead;

    public long Requests => Interlocked.Read(ref _requests);
    public long Writes => Interlocked.Read(ref _writes);
    public long EntitiesRead => Interlocked.Read(ref _entitiesRead);

    internal void CountRequest(bool write)
    {
        Interlocked.Increment(ref _requests);
        if (write) Interlocked.Increment(ref _writes);
    }

    internal void CountRead(long n) => Interlocked.Add(ref _entitiesRead, n);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _entitiesRead, 0);
    }
}
