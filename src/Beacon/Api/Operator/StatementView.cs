namespace Beacon.Api.Operator;

/// <summary>
/// <c>GET /api/v1/operator/statements?month=YYYY-MM</c>: a page of the month's lines (<c>next_cursor</c> null on the
/// last), the whole month's <c>totals</c> over all its lines, and every adjustment recorded on it.
/// </summary>
internal sealed record StatementView(string Month, string State, DateTimeOffset? ClosedAt, IReadOnlyList<StatementLineView> Lines, IReadOnlyList<AdjustmentView> Adjustments)
{
    public string? NextCursor { get; init; }

    public StatementTotals? Totals { get; init; }
}
