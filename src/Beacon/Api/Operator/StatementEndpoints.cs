using System.Text.Json;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Meters;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Operator;

/// <summary>
/// Monthly statements, closing a month and manual adjustments (SPEC §13), under the operator group.
/// Closes and adjustments are audited with the operator key's name.
/// </summary>
internal static class StatementEndpoints
{
    public static RouteGroupBuilder MapStatementEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/statements", GetAsync).WithName("OperatorStatement")
            .WithSummary("A UTC month's statement: a page of its lines per org and license (kept by the rollup while open, frozen once closed), the month's totals and the adjustments recorded on it; format=csv for the whole month as a file.")
            .ProducesProblem(400);
        group.MapPost("/statements/{month}/close", CloseAsync).WithName("OperatorStatementClose")
            .WithSummary("Close an ended month: its lines are frozen; later usage for it becomes adjustments on the first open month (audited).")
            .ProducesProblem(400).ProducesProblem(409);
        group.MapPost("/adjustments", AdjustAsync).WithName("OperatorAdjustments").DescribesJsonBody<RouteHandlerBuilder, AdjustmentBody>()
            .WithSummary("Record a manual adjustment with a reason on the first open month from for_month on (audited).")
            .ProducesProblem(400);
        return group;
    }

    private static async Task<Results<Ok<StatementView>, FileContentHttpResult, ProblemHttpResult>> GetAsync(
        string? month, string? format, string? org_id, string? limit, string? cursor,
        StatementLedger ledger, DirectoryStore directory, MeterCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        if (!Month.TryParse(month, out var m)) return Invalid("month", "is required, as YYYY-MM (from 2020-01).");
        if (m > Month.Of(time.GetUtcNow())) return Invalid("month", $"{m} has not started yet.");
        if (format is not (null or "json" or "csv")) return Invalid("format", "must be json or csv.");
        if (org_id is not null && !Ids.TryNormalizeUuid(org_id, out org_id)) return Invalid("org_id", "must be an organization id (UUID).");
        if (!Paging.TryRead(limit, cursor, [LinePage.Section], out var n, out var after, out var problem)) return problem!;
        if (format == "csv")
        {
            // The file is the whole month (or the org's part of it): what an invoice is made from, never a page.
            var whole = await ledger.GetAsync(m, ct);
            if (org_id is not null)
                whole = whole with { Lines = [.. whole.Lines.Where(l => l.Key.OrgId == org_id)], Adjustments = [.. whole.Adjustments.Where(a => a.OrgId == org_id)] };
            var all = StatementViews.Of(whole, catalog, await StatementViews.OrgNamesAsync(whole.Lines, whole.Adjustments, directory, ct));
            return TypedResults.File(StatementCsv.Bytes(StatementCsv.Write(all, catalog)), "text/csv; charset=utf-8", $"beacon_statement_{m}.csv");
        }
        var page = await ledger.GetPageAsync(m, org_id, after, n, ct);
        if (org_id is not null) page = page with { Adjustments = [.. page.Adjustments.Where(a => a.OrgId == org_id)] };
        return TypedResults.Ok(StatementViews.Of(page, catalog, await StatementViews.OrgNamesAsync(page.Lines.Lines, page.Adjustments, directory, ct)));
    }

    private static async Task<Results<Ok<StatementView>, ProblemHttpResult>> CloseAsync(
        string month, OperatorCaller caller, Operations.StatementClosing closing, DirectoryStore directory, MeterCatalog catalog, CancellationToken ct)
    {
        if (!Month.TryParse(month, out var m)) return Invalid("month", "must be YYYY-MM (from 2020-01).");
        var (outcome, reason, statement) = await closing.CloseAsync(m, caller.Actor, ct);
        if (outcome == CloseOutcome.NotEnded) return Invalid("month", reason!);
        if (outcome == CloseOutcome.AlreadyClosed) return Problems.Conflict(reason!);
        return TypedResults.Ok(StatementViews.Of(statement!, catalog, await StatementViews.OrgNamesAsync(statement!.Lines, statement.Adjustments, directory, ct)));
    }

    private static async Task<Results<Created<AdjustmentView>, ProblemHttpResult>> AdjustAsync(
        HttpRequest request, OperatorCaller caller, StatementLedger ledger, DirectoryStore directory, Storage.Stores.CredentialStore credentials,
        AuditLog audit, MeterCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        if (!(await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct)).TryGet(out var body, out var problem)) return problem;
        using var doc = body;
        var parsed = AdjustmentRequestParser.Parse(doc.RootElement, catalog, Month.Of(time.GetUtcNow()));
        if (parsed.Value is not { } asked) return Problems.Validation(parsed.Errors);
        var (orgId, licenseId, metric, delta, forMonth, reason) = asked;

        // Names that do not exist are the request's fault too: nothing is recorded.
        if (await directory.GetOrgAsync(orgId, ct) is not { } org) return Invalid("org_id", $"No organization {orgId}.");
        if (licenseId is not null && (await credentials.GetLicenseAsync(licenseId, ct))?.OrgId != orgId)
            return Invalid("license_id", $"No license {licenseId} in organization {orgId}.");

        var adjustment = await ledger.AdjustAsync(orgId, licenseId, metric, delta, forMonth, reason, caller.Actor, ct);
        await audit.AppendAsync(caller.Actor, "adjustment.create", "adjustment:" + adjustment.Id, new Dictionary<string, string?>
        {
            ["org_id"] = adjustment.OrgId, ["license_id"] = adjustment.LicenseId, ["metric"] = metric,
            ["delta"] = delta.ToString(System.Globalization.CultureInfo.InvariantCulture), ["for_month"] = forMonth.ToString(),
            ["recorded_in_month"] = adjustment.RecordedInMonth.ToString(), ["reason"] = adjustment.Reason,
        }, ct);
        return TypedResults.Created($"/api/v1/operator/statements?month={adjustment.RecordedInMonth}", StatementViews.Of(adjustment, org.Name));
    }

    private static ProblemHttpResult Invalid(string field, string message) => Problems.Validation([new FieldError(field, message)]);
}
