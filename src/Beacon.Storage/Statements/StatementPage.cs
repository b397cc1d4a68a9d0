using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>A page of a month's statement: some of its lines, the whole month's summary, and every adjustment recorded on it.</summary>
public sealed record StatementPage(Month Month, bool Closed, DateTimeOffset? ClosedAt, LinePage Lines, LineSummary Summary, IReadOnlyList<StoredAdjustment> Adjustments);
