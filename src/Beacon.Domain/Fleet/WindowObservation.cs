namespace Beacon.Domain.Fleet;

/// <summary>
/// What the fleet view learns from one accepted usage window: its span, how much it added to the
/// stored usage (the whole window when new, the difference when it superseded a copy, zero when it was
/// ignored), when it arrived, and its client tags and gauges.
/// </summary>
public sealed record WindowObservation(
    long FromMicros,
    long ToMicros,
    long RunsAdded,
    long NodesAdded,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Gauges);
