namespace Beacon.Domain.Usage;

/// <summary>
/// The window-key rule (SPEC §4.4): a report with an existing key replaces the stored window — never
/// adds to it — when its <c>to_timestamp</c> is later or equal; an older copy is acknowledged and ignored.
/// The platform client resends a failed window, merged with the next one, under the same
/// <c>from_timestamp</c> and a later <c>to_timestamp</c>, so this counts every run exactly once. Because
/// it only ever merges upward, a later copy with fewer runs or nodes than the stored one is not a
/// retry but tampering or a bug: it is acknowledged and ignored, so billed usage never shrinks.
/// </summary>
public static class Supersede
{
    /// <param name="storedToMicros">The <c>to_timestamp</c> of the window stored under the key.</param>
    /// <param name="storedRuns">Its runs.</param>
    /// <param name="storedNodes">Its nodes.</param>
    /// <param name="incoming">The report that arrived for the same key.</param>
    public static SupersedeOutcome Decide(long storedToMicros, long storedRuns, long storedNodes, UsageReport incoming) =>
        Decide(storedToMicros, incoming.ToMicros) is var byTime && byTime != SupersedeOutcome.Replaced ? byTime
        : incoming.Runs < storedRuns || incoming.Nodes < storedNodes ? SupersedeOutcome.IgnoredLowerCounts
        : SupersedeOutcome.Replaced;

    /// <summary>The rule on its own, for anything keyed by its start and superseded by a later end (usage snapshots too).</summary>
    public static SupersedeOutcome Decide(long storedToMicros, long incomingToMicros) =>
        incomingToMicros >= storedToMicros ? SupersedeOutcome.Replaced : SupersedeOutcome.IgnoredOlder;
}
