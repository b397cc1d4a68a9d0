using Azure;
using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>
/// A closed month's line. <see cref="Frozen"/> is what the statement shows, written once by the close
/// and never changed; <see cref="Accounted"/> is frozen plus every late-usage adjustment recorded for
/// it so far: what the reconciliation compares live usage with. A line that only late usage created
/// (no usage at the close) is not <see cref="OnStatement"/>.
/// </summary>
public sealed record StoredLine(
    LineKey Key, string OrgName, string? Plan, MeterTotals Frozen, MeterTotals Accounted, bool OnStatement, string RowKey, ETag ETag)
{
    /// <summary>The line as the closed statement shows it: its frozen totals, over the whole month.</summary>
    public StatementLine OnStatementLine(Month month) => new(Key, OrgName, Plan, Frozen) { Through = month.EndDay.AddDays(-1) };
}
