using System.Globalization;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Reports;
using Beacon.Domain.Usage;
using Beacon.Operations;
using Beacon.Storage.Reports;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Operator;

/// <summary>
/// Self-reported usage of air-gapped installs (SPEC §17), under the operator group: upload the granular
/// usage export's CSV for a license and get a signed receipt; list a license's accepted reports.
/// </summary>
internal static class UsageReportEndpoints
{
    public static RouteGroupBuilder MapUsageReportEndpoints(this RouteGroupBuilder group)
    {
        // No Accepts metadata: routing would answer 415 to another content type before the operator key is checked.
        group.MapPost("/licenses/{id}/usage-reports", SubmitAsync).WithName("OperatorLicenseUsageReport")
            .DescribesBody("A granular usage export's CSV file, as the customer's install wrote it.", "text/csv")
            .WithSummary("Record self-reported usage for a license from a granular usage export (CSV body, daily buckets, by workspace or project): per day, the last report wins. 201 with a signed receipt; the same bytes again 200 with the same receipt (audited).")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);
        group.MapGet("/licenses/{id}/usage-reports", ListAsync).WithName("OperatorLicenseUsageReports")
            .WithSummary("A page of a license's accepted usage reports with their receipts, newest first.").ProducesProblem(400).ProducesProblem(404);
        return group;
    }

    private static async Task<Results<Created<UsageReportView>, Ok<UsageReportView>, ProblemHttpResult>> SubmitAsync(
        string id, string? reported_by, HttpContext http, OperatorCaller caller, UsageReportIntake intake, CancellationToken ct)
    {
        if (!Ids.TryNormalizeUuid(id, out var licenseId)) return Invalid("id", "must be a license id (UUID).");
        if (http.Request.ContentLength > ReportLimits.MaxBytes) return Problems.PayloadTooLarge(ReportLimits.MaxBytes);
        BoundedBody.Allow(http, ReportLimits.MaxBytes);
        if (await BoundedBody.ReadAsync(http.Request.Body, ReportLimits.MaxBytes, ct) is not { } bytes) return Problems.PayloadTooLarge(ReportLimits.MaxBytes);
        var outcome = await intake.SubmitAsync(licenseId, null, bytes, reported_by, caller.Actor, ct);
        if (outcome.NotFound) return Problems.NotFound($"No license {licenseId}.");
        if (outcome.Errors is { } errors) return Problems.Validation(errors);
        var view = View(outcome.Report!);
        return outcome.Created ? TypedResults.Created((string?)null, view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<UsageReportList>, ProblemHttpResult>> ListAsync(
        string id, string? cursor, string? limit, CredentialStore credentials, UsageReportStore reports, CancellationToken ct)
    {
        if (!Ids.TryNormalizeUuid(id, out var licenseId)) return Invalid("id", "must be a license id (UUID).");
        if (!Paging.TryRead(limit, cursor, [UsageReportStore.Section], out var n, out var after, out var problem)) return problem!;
        if (await credentials.GetLicenseAsync(licenseId, ct) is null) return Problems.NotFound($"No license {licenseId}.");
        var (page, next) = await reports.PageAsync(licenseId, after, n, ct);
        return TypedResults.Ok(new UsageReportList([.. page.Select(View)], next?.Encode()));
    }

    public static UsageReportView View(StoredReport r) => new(
        r.ReportId, r.LicenseId, [.. r.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))], r.Totals, r.Sha256, r.PreviousSha256,
        r.Receipt, UsageNames.Of(r.Kind), r.ReportedBy, r.ReceivedAt);

    private static ProblemHttpResult Invalid(string field, string message) => Problems.Validation([new FieldError(field, message)]);
}
