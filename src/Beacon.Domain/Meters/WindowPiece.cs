namespace Beacon.Domain.Meters;

/// <summary>
/// What one window contributes to one UTC day: its additive meter values (apportioned counts, overlap)
/// and its overlap with the day, <c>[StartMicros, EndMicros)</c>, from which the day's distinct minutes
/// are counted once all of the day's windows are known.
/// </summary>
public sealed record WindowPiece(DateOnly Day, CellKey Key, MeterValues Additive, long StartMicros, long EndMicros);
