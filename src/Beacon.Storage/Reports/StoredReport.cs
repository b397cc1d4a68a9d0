using Beacon.Domain.Usage;

namespace Beacon.Storage.Reports;

/// <summary>
/// One accepted self-reported usage file and its receipt (SPEC §17): the <see cref="Seq"/>th report of its
/// license, chained to the one before it by <see cref="PreviousSha256"/>. <see cref="Totals"/> is keyed by
/// meter wire name; <see cref="Receipt"/> is the compact JWS that signs the answer's six fields.
/// </summary>
public sealed record StoredReport(
    string ReportId, string LicenseId, string OrgId, long Seq, UsageKind Kind, IReadOnlyList<DateOnly> Days,
    IReadOnlyDictionary<string, long> Totals, string Sha256, string? PreviousSha256, string Receipt, string ReportedBy, DateTimeOffset ReceivedAt);
