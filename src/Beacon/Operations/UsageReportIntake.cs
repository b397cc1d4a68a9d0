using System.Security.Cryptography;
using Beacon.Domain;
using Beacon.Domain.Meters;
using Beacon.Domain.Reports;
using Beacon.Domain.Usage;
using Beacon.Storage.Account;
using Beacon.Storage.Reports;
using Beacon.Storage.Stores;
using Beacon.Tokens;

namespace Beacon.Operations;

/// <summary>
/// Accepting a self-reported usage file for a license (SPEC §17), one implementation for the operator API,
/// the console's upload and the CLI. The file is validated whole; then, in this order: its bytes are kept,
/// it is accepted as the next link of the license's chain (one transaction that fails if another report
/// got there first: then everything is decided again), audited, and put in effect. The answer comes only
/// after all of that, so a receipt never names a report that does not count. The same bytes as the latest
/// report answer that report again and change nothing.
/// </summary>
public sealed class UsageReportIntake(
    CredentialStore credentials, UsageReportStore reports, ReportApplier applier, ReceiptSigner signer, AuditLog audit, Storage.Alerts.AlertOutbox alerts,
    MeterCatalog catalog, TimeProvider time)
{
    private const int MaxAttempts = 10;
    public const int MaxReportedByLength = 128;

    /// <summary>The outcome: the report (new or the same as the latest), or no such license, or every problem with the input.</summary>
    public sealed record Outcome(StoredReport? Report, bool Created, bool NotFound, IReadOnlyList<FieldError>? Errors);

    /// <param name="orgId">When given, the license must belong to it (the CLI names both).</param>
    /// <param name="reportedBy">Who reported the usage (the customer's contact); defaults to <paramref name="actor"/>.</param>
    public async Task<Outcome> SubmitAsync(string licenseId, string? orgId, ReadOnlyMemory<byte> bytes, string? reportedBy, string actor, CancellationToken ct)
    {
        if (reportedBy is not null && (reportedBy.Length is 0 or > MaxReportedByLength || reportedBy.Any(char.IsControl)))
            return new Outcome(null, false, false, [new FieldError("reported_by", $"must be printable text of 1 to {MaxReportedByLength} characters.")]);
        var license = orgId is null ? await credentials.GetLicenseAsync(licenseId, ct) : await credentials.GetLicenseAsync(orgId, licenseId, ct);
        if (license is null) return new Outcome(null, false, true, null);
        var parsed = ReportFile.Parse(catalog, bytes.Span, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (parsed.Value is not { } usage) return new Outcome(null, false, false, parsed.Errors);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var head = await reports.GetHeadAsync(license.LicenseId, ct);
            if (head is { Pending: true }) await applier.ApplyPendingAsync(license.LicenseId, head, ct); // an earlier report first
            if (head is not null && head.Sha256 == sha && await reports.GetReportAsync(license.LicenseId, head.Seq, ct) is { } same)
                return new Outcome(same, false, false, null);

            var report = new StoredReport(Guid.NewGuid().ToString("D"), license.LicenseId, license.OrgId, (head?.Seq ?? 0) + 1, usage.Kind, usage.Days,
                Totals(usage, license.LicenseId), sha, head?.Sha256, "", reportedBy ?? actor, time.GetUtcNow());
            report = report with { Receipt = await signer.SignAsync(report, ct) };
            await reports.SaveFileAsync(license.LicenseId, report.ReportId, BinaryData.FromBytes(bytes), ct);
            if (!await reports.TryCommitAsync(head, report, ct)) continue; // another report was accepted meanwhile: decide again
            // Audited before it takes effect: what was accepted is on record even if applying is interrupted.
            await audit.AppendAsync(actor, "license.usage_report", "license:" + license.LicenseId, new Dictionary<string, string?>
            {
                ["org_id"] = license.OrgId, ["report_id"] = report.ReportId, ["sha256"] = sha, ["kind"] = UsageNames.Of(usage.Kind),
                ["days"] = usage.Days.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["first_day"] = usage.Days[0].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["last_day"] = usage.Days[^1].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["reported_by"] = report.ReportedBy,
            }, ct);
            await applier.ApplyAsync(report, usage, ct);
            await alerts.EmitAsync(Storage.Alerts.AlertEvents.UsageReport(report.ReportId, report.ReceivedAt, report.LicenseId, report.Days, report.Totals, report.Sha256, report.PreviousSha256), ct: ct);
            return new Outcome(report, true, false, null);
        }
        throw new StorageContentionException($"Reports for license {license.LicenseId} kept arriving while this one was being accepted.");
    }

    /// <summary>A report's totals by meter wire name: what its rows bill, for every meter of its kind.</summary>
    private Dictionary<string, long> Totals(ReportedUsage usage, string licenseId)
    {
        var sums = new Int128[catalog.Slots.Count];
        foreach (var row in usage.Rows) ReportedCells.Of(catalog, usage.Kind, licenseId, row).Values.AddTo(sums);
        return catalog.MetersOf(usage.Kind).ToDictionary(m => m.Name, m => (long)m.Finish(sums[catalog.SlotOf(m, MinuteScope.Deployment)]), StringComparer.Ordinal);
    }
}
