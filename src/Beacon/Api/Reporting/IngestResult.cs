namespace Beacon.Api.Reporting;

/// <summary>The answer of <c>POST /v1/beacon/ingest-traces</c>: how many transactions were new (<c>inserted_count</c>).</summary>
internal sealed record IngestResult(int InsertedCount);
