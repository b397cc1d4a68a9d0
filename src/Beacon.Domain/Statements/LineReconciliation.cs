namespace Beacon.Domain.Statements;

/// <summary>What late usage changes on one line of a closed month: the adjustments to record (meter, delta) and the line's new accounted totals.</summary>
public sealed record LineReconciliation(LineId Line, IReadOnlyList<(string Meter, Int128 Delta)> Deltas, MeterTotals Accounted);
