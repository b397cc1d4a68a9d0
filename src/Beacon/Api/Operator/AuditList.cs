namespace Beacon.Api.Operator;

/// <summary>The answer of GET /api/v1/operator/audit, newest first.</summary>
internal sealed record AuditList(IReadOnlyList<AuditView> Records);
