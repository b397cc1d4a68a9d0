using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>A month's statement: live lines while open, frozen once closed, plus the adjustments recorded on it.</summary>
public sealed record Statement(Month Month, bool Closed, DateTimeOffset? ClosedAt, IReadOnlyList<StatementLine> Lines, IReadOnlyList<StoredAdjustment> Adjustments);
