namespace Beacon.Api.Operator;

/// <summary>A page of GET /api/v1/operator/audit, newest first; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record AuditList(IReadOnlyList<AuditView> Records, string? NextCursor);
