namespace Beacon.Domain.Meters;

/// <summary>One field of a granular usage record: the meters of its kind that add up into it (indexes into <see cref="MeterCatalog.MetersOf"/>).</summary>
public sealed record GranularColumn(GranularField Field, IReadOnlyList<int> MeterIndexes);
