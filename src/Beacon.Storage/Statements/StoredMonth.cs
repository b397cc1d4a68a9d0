using Azure;
using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>A month's row in the ledger: present once the month was closed or received an adjustment.</summary>
public sealed record StoredMonth(Month Month, bool Closed, DateTimeOffset? ClosedAt, string? ClosedBy, string? CloseId, ETag ETag)
{
    /// <summary>The frozen lines summed, stored with the close (null for a month closed before closes stored it).</summary>
    public LineSummary? Summary { get; init; }
}
