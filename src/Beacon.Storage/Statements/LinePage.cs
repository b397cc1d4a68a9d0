using Beacon.Domain.Fleet;

namespace Beacon.Storage.Statements;

/// <summary>A page of a month's statement lines in key order (org id, then the API-key line, then licenses), and where the next starts.</summary>
public sealed record LinePage(IReadOnlyList<StatementLine> Lines, PageCursor? Next)
{
    /// <summary>The cursor section of statement lines: the same for an open and a closed month, so a page cursor survives a close.</summary>
    public const string Section = "lines";
}
