namespace Beacon.Domain.Fleet;

/// <summary>
/// One replica's run of windows: each window's <c>from_timestamp</c> is the previous one's
/// <c>to_timestamp</c> (the client starts a replica's first window at process start). Kept as a summary:
/// the first window's start, the last window's start, the last window's end (the head) and when a
/// window of the chain was last received.
/// </summary>
public sealed record ReplicaChain(long FirstFromMicros, long LastFromMicros, long HeadMicros, DateTimeOffset LastSeenAt)
{
    /// <summary>True when the two summaries are one replica: one continues, supersedes or repeats the other.</summary>
    public bool Touches(ReplicaChain other) =>
        HeadMicros == other.FirstFromMicros || other.HeadMicros == FirstFromMicros
        || LastFromMicros == other.FirstFromMicros || other.LastFromMicros == FirstFromMicros
        || FirstFromMicros == other.FirstFromMicros;

    public ReplicaChain Join(ReplicaChain other)
    {
        var later = other.HeadMicros > HeadMicros || (other.HeadMicros == HeadMicros && other.LastFromMicros > LastFromMicros) ? other : this;
        return new ReplicaChain(
            Math.Min(FirstFromMicros, other.FirstFromMicros),
            later.LastFromMicros,
            later.HeadMicros,
            LastSeenAt > other.LastSeenAt ? LastSeenAt : other.LastSeenAt);
    }
}
