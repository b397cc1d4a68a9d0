namespace Beacon.Api.Operator;

/// <summary>
/// An accepted self-reported usage file (SPEC §17): the receipt's six fields and the receipt itself, then
/// what the listing adds (the file's kind, who reported it, when it was received).
/// </summary>
internal sealed record UsageReportView(
    string ReportId, string LicenseId, IReadOnlyList<string> Days, IReadOnlyDictionary<string, long> Totals, string Sha256, string? PreviousSha256,
    string Receipt, string Kind, string ReportedBy, DateTimeOffset ReceivedAt);
