using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>
/// One line of a statement: an org and a license (empty for API-key usage) with its totals, counted over
/// the month's days up to and including <see cref="Through"/> (an open month's lines are as of the last
/// rollup; a closed month's cover the whole month).
/// </summary>
public sealed record StatementLine(LineKey Key, string OrgName, string? Plan, MeterTotals Totals)
{
    public DateOnly? Through { get; init; }
}
