using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>One line of a statement: an org and a license (empty for API-key usage) with its totals.</summary>
public sealed record StatementLine(LineKey Key, string OrgName, string? Plan, MeterTotals Totals);
