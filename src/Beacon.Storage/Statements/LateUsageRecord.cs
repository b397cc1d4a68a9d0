using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>
/// The line side of recording late usage: the closed month's line (<see cref="Line"/>, null when late usage
/// creates it) and the accounted totals it moves to, in the same transaction as the adjustments.
/// </summary>
public sealed record LateUsageRecord(Month Month, string CloseId, LineKey Key, StoredLine? Line, MeterTotals Accounted);
