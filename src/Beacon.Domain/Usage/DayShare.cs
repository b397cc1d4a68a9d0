namespace Beacon.Domain.Usage;

/// <summary>What one deployment usage window contributes to one UTC day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Runs">Agent runs attributed to the day (largest-remainder share).</param>
/// <param name="Nodes">Nodes executed attributed to the day (largest-remainder share).</param>
/// <param name="UptimeMicros">The exact overlap of the window with the day, in microseconds.</param>
public readonly record struct DayShare(DateOnly Day, long Runs, long Nodes, long UptimeMicros);
