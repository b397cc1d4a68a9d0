namespace Beacon.Api.Reporting;

/// <summary><c>POST /v1/beacon/ingest-traces</c>'s body (SPEC §4.4), for the OpenAPI document: a credential and up to 1,000 transactions.</summary>
internal sealed record TraceBatchBody(IReadOnlyList<TraceTransactionBody> TraceTransactions, string? License = null, string? LicenseKey = null, string? ApiKey = null);
