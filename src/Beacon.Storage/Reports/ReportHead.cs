using Azure;

namespace Beacon.Storage.Reports;

/// <summary>
/// The end of a license's report chain: the latest accepted report's sequence number, hash and id, and
/// whether its rows are still to be put in effect (<see cref="Pending"/>: accepted, not yet applied).
/// </summary>
public sealed record ReportHead(long Seq, string Sha256, string ReportId, bool Pending, ETag ETag);
