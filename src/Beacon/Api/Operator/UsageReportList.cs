namespace Beacon.Api.Operator;

/// <summary>A page of a license's accepted usage reports, newest first; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record UsageReportList(IReadOnlyList<UsageReportView> Reports, string? NextCursor);
