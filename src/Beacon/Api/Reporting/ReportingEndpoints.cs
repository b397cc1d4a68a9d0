using Beacon.Api.Http;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Reporting;

/// <summary>
/// <c>POST /v1/metadata/submit</c> (deployment usage windows) and <c>POST /v1/beacon/ingest-traces</c>
/// (trace transactions), SPEC §4.4–4.5. The group's filter has read the body and authenticated the
/// caller; the handlers validate the content and the workspace rights, and store nothing unless every
/// check passes.
/// </summary>
internal static class ReportingEndpoints
{
    public static IEndpointRouteBuilder MapReportingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Reporting").RequireReporter();
        group.MapPost("/v1/metadata/submit", SubmitAsync)
            .WithName("Submit")
            .WithSummary("Report one deployment usage window (runs, nodes, uptime).");
        group.MapPost("/v1/beacon/ingest-traces", IngestTracesAsync)
            .WithName("IngestTraces")
            .WithSummary("Report billable trace transactions; each id counts once, forever.");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SubmitAsync(
        ReportingRequest request, UsageAdmission admission, WindowStore windows, TimeProvider time, CancellationToken ct)
    {
        var report = UsageReportParser.Parse(request.Body);
        if (!report.IsValid) return Problems.Validation(report.Errors, report.Unprocessable);
        var r = report.Value!;
        var caller = request.Caller;
        if (await admission.CheckWorkspacesAsync(caller, [r.WorkspaceId], ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordProjectsAsync(caller.OrgId, [(r.WorkspaceId, r.ProjectId)], ct);

        await windows.SupersedeWindowAsync(caller.OrgId, r, caller.Reporter, time.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> IngestTracesAsync(
        ReportingRequest request, UsageAdmission admission, TraceStore traces, TimeProvider time, CancellationToken ct)
    {
        var batch = TraceBatchParser.Parse(request.Body);
        if (!batch.IsValid) return Problems.Validation(batch.Errors);
        var transactions = batch.Value!;
        var caller = request.Caller;
        if (await admission.CheckWorkspacesAsync(caller, transactions.Select(t => t.WorkspaceId), ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordProjectsAsync(caller.OrgId, transactions.Select(t => (t.WorkspaceId, t.ProjectId)), ct);

        int inserted = await traces.InsertTraceTransactionsAsync(caller.OrgId, transactions, time.GetUtcNow(), ct);
        return TypedResults.Ok(new IngestResult(inserted));
    }
}
