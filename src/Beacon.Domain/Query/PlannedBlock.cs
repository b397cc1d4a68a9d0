namespace Beacon.Domain.Query;

/// <summary>One piece of a bucket: a rolled-up block, or a day that must be read from raw records.</summary>
public readonly record struct PlannedBlock(Block Block, bool FromRollup);
