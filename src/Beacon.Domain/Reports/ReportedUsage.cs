using Beacon.Domain.Usage;

namespace Beacon.Domain.Reports;

/// <summary>A validated self-reported file: its kind, its grouping and its rows (at most one per day and group).</summary>
public sealed record ReportedUsage(UsageKind Kind, ReportGrouping Grouping, IReadOnlyList<ReportedRow> Rows)
{
    /// <summary>The UTC days the report covers, ascending: a report replaces what earlier reports said for exactly these.</summary>
    public IReadOnlyList<DateOnly> Days { get; } = [.. Rows.Select(r => r.Day).Distinct().Order()];
}
