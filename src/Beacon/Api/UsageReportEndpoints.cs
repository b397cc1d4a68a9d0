using System.Text.Json;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Api;

/// <summary>
/// <c>POST /v1/metadata/submit</c> (deployment usage windows) and <c>POST /v1/beacon/ingest-traces</c>
/// (trace transactions), SPEC §4.4–4.5. Order of checks: size, JSON, credential, rate limit, content,
/// workspace rights; nothing is stored unless every check passes.
/// </summary>
internal static class UsageReportEndpoints
{
    public static IEndpointRouteBuilder MapUsageReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/metadata/submit", SubmitAsync)
            .WithName("Submit")
            .WithSummary("Report one deployment usage window (runs, nodes, uptime).");
        app.MapPost("/v1/beacon/ingest-traces", IngestTracesAsync)
            .WithName("IngestTraces")
            .WithSummary("Report billable trace transactions; each id counts once, forever.");
        return app;
    }

    /// <summary>The shared first steps: a bounded JSON body, then who is reporting.</summary>
    private static async Task<(JsonDocument? Body, ReportingCaller? Caller, IResult? Problem)> ReadAndAuthenticateAsync(HttpRequest request, Callers callers, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct);
        if (problem is not null) return (null, null, problem);
        var (caller, denied) = await callers.AuthenticateReporterAsync(body!.RootElement, request, ct);
        if (denied is null) return (body, caller, null);
        body.Dispose();
        return (null, null, denied);
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request, Callers callers, UsageAdmission admission, WindowStore windows, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (body, caller, problem) = await ReadAndAuthenticateAsync(request, callers, ct);
        if (problem is not null) return problem;
        using var doc = body!;

        var report = UsageReportParser.Parse(doc.RootElement);
        if (!report.IsValid) return Problems.Validation(report.Errors, report.Unprocessable);
        var r = report.Value!;
        if (await admission.CheckWorkspacesAsync(caller!, [r.WorkspaceId], ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordProjectsAsync(caller!.OrgId, [(r.WorkspaceId, r.ProjectId)], ct);

        var outcome = await windows.SupersedeWindowAsync(caller.OrgId, r, caller.Reporter, time.GetUtcNow(), ct);
        logs.CreateLogger("Beacon.Submit").LogInformation("Usage window for org {OrgId} workspace {WorkspaceId}: {Outcome}", caller.OrgId, r.WorkspaceId, outcome);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> IngestTracesAsync(
        HttpRequest request, Callers callers, UsageAdmission admission, TraceStore traces, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var (body, caller, problem) = await ReadAndAuthenticateAsync(request, callers, ct);
        if (problem is not null) return problem;
        using var doc = body!;

        var batch = TraceBatchParser.Parse(doc.RootElement);
        if (!batch.IsValid) return Problems.Validation(batch.Errors);
        var transactions = batch.Value!;
        if (await admission.CheckWorkspacesAsync(caller!, transactions.Select(t => t.WorkspaceId), ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordProjectsAsync(caller!.OrgId, transactions.Select(t => (t.WorkspaceId, t.ProjectId)), ct);

        int inserted = await traces.InsertTraceTransactionsAsync(caller.OrgId, transactions, time.GetUtcNow(), ct);
        logs.CreateLogger("Beacon.IngestTraces").LogInformation("Trace batch for org {OrgId}: {Received} received, {Inserted} new", caller.OrgId, transactions.Count, inserted);
        return TypedResults.Ok(new { inserted_count = inserted });
    }
}
