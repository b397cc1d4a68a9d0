namespace Beacon.Api.Reporting;

/// <summary>One trace transaction of <see cref="TraceBatchBody"/>: its id makes a resend idempotent; <c>tenant_id</c> is the workspace, <c>session_id</c> the project.</summary>
internal sealed record TraceTransactionBody(
    string Id,
    string? TenantId,
    string? SessionId,
    long TraceCount,
    DateTimeOffset StartIntervalTime,
    DateTimeOffset EndIntervalTime,
    DateTimeOffset? StartInsertionTime = null,
    DateTimeOffset? EndInsertionTime = null,
    string? TransactionType = null,
    string? Status = null,
    int? NumFailedSendAttempts = null,
    string? UserId = null,
    string? ApiKeyShortKey = null,
    string? OrganizationId = null); // sent by the client, ignored: the org is always the credential's
