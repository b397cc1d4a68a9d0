namespace Beacon.Domain.Query;

/// <summary>Consecutive blocks of one size read from one source: rollup cells, or raw records (<see cref="FromRollup"/> false, read as days).</summary>
public readonly record struct SourceRun(bool FromRollup, BlockSize Size, DateOnly Start, DateOnly End);
