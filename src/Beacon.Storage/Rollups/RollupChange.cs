namespace Beacon.Storage.Rollups;

/// <summary>
/// What one org's rollup run changed, for whoever keeps figures derived from its cells (the open statement
/// lines): the epoch the run started from (null for an org without progress), whether it started the org's
/// cells over, and the days it recomputed, [<see cref="From"/>, <see cref="To"/>) (null when none).
/// </summary>
public sealed record RollupChange(long? EpochBefore, bool StartedOver, DateOnly? From, DateOnly? To);
