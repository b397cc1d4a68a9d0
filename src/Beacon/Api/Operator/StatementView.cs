namespace Beacon.Api.Operator;

/// <summary><c>GET /api/v1/operator/statements?month=YYYY-MM</c>.</summary>
internal sealed record StatementView(string Month, string State, DateTimeOffset? ClosedAt, IReadOnlyList<StatementLineView> Lines, IReadOnlyList<AdjustmentView> Adjustments);
