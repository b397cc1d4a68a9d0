using System.Text.Json.Serialization;

namespace Beacon.Api.Reporting;

/// <summary>
/// The answer of <c>POST /v1/beacon/ingest-traces</c>: how many transactions were new (<c>inserted_count</c>),
/// and — only when there is something to say — <c>notes</c> on how the batch was read (an unknown
/// <c>transaction_type</c> is counted as short-lived, and the sender is told so).
/// </summary>
internal sealed record IngestResult(int InsertedCount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes = null);
