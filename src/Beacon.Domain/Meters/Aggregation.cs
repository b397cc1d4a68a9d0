namespace Beacon.Domain.Meters;

/// <summary>
/// How a meter turns raw usage into a number. A closed set: every switch over it names every member and
/// has no default arm, so a new kind fails the build wherever it is not handled (CS8509, ADR 0013).
/// </summary>
public enum Aggregation
{
    /// <summary>A counted window measure, split across UTC days in proportion to the overlap (largest remainder).</summary>
    ApportionedSum,

    /// <summary>The window's overlap with the bucket; summed in microseconds, shown in seconds rounded per bucket.</summary>
    OverlapSeconds,

    /// <summary>UTC minutes touched by at least one window of a deployment, each minute counted once however many replicas ran.</summary>
    DistinctMinuteSlots,

    /// <summary>The trace count of transactions of one retention tier.</summary>
    TraceCount,
}
