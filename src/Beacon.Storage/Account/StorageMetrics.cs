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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> _byResource = new(StringComparer.Ordinal);

    /// <summary>Requests and writes to one table or container (the first segment of the request path).</summary>
    public (long Requests, long Writes) To(string resource) =>
        _byResource.TryGetValue(resource, out var c) ? (Interlocked.Read(ref c[0]), Interlocked.Read(ref c[1])) : (0, 0);

    internal void CountRequest(bool write, string resource)
    {
        Interlocked.Increment(ref _requests);
        if (write) Interlocked.Increment(ref _writes);
        var c = _byResource.GetOrAdd(resource, _ => new long[2]);
        Interlocked.Increment(ref c[0]);
        if (write) Interlocked.Increment(ref c[1]);
    }

    internal void CountRead(long n) => Interlocked.Add(ref _entitiesRead, n);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _entitiesRead, 0);
        _byResource.Clear();
    }
}
