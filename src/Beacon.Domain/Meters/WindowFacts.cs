namespace Beacon.Domain.Meters;

/// <summary>
/// A stored usage window as the meters read it: its cell key (workspace already resolved, license the one
/// it bills), its span, and its counted measures by name (<see cref="MeterCatalog.CountedMeasures"/>).
/// </summary>
public sealed record WindowFacts(CellKey Key, long FromMicros, long ToMicros, IReadOnlyDictionary<string, long> Counts);
