using Beacon.Api.Fleet;
using Beacon.Api.Http;
using Beacon.Domain.Fleet;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Reporting;

/// <summary>
/// <c>POST /v1/beacon/metadata/submit</c>, <c>/v1/metadata/submit</c> and <c>/api/v1/metadata/submit</c>
/// (deployment usage windows) and <c>POST /v1/beacon/ingest-traces</c> (trace transactions), SPEC §4.4–4.5. The group's filter has read the body and authenticated the
/// caller; the handlers validate the content and the workspace rights, and store nothing unless every
/// check passes.
/// </summary>
internal static class ReportingEndpoints
{
    public static IEndpointRouteBuilder MapReportingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Reporting").RequireReporter();
        // One handler on the three paths the platform's clients use: the current client's license copy,
        // its control-plane (API key) copy, and the same copy when the configured endpoint ends in /api/v1.
        group.MapPost("/v1/beacon/metadata/submit", SubmitAsync)
            .DescribesJsonBody<RouteHandlerBuilder, UsageWindowBody>()
            .WithName("BeaconSubmit")
            .WithSummary("Report one deployment usage window (runs, nodes, uptime): the current client's license copy.");
        group.MapPost("/v1/metadata/submit", SubmitAsync)
            .DescribesJsonBody<RouteHandlerBuilder, UsageWindowBody>()
            .WithName("Submit")
            .WithSummary("Report one deployment usage window: the API-key copy, and older clients.");
        group.MapPost("/api/v1/metadata/submit", SubmitAsync)
            .DescribesJsonBody<RouteHandlerBuilder, UsageWindowBody>()
            .WithName("ApiSubmit")
            .WithSummary("Report one deployment usage window: the API-key copy when the endpoint ends in /api/v1.");
        group.MapPost("/v1/beacon/usage-snapshot", SnapshotAsync)
            .DescribesJsonBody<RouteHandlerBuilder, UsageSnapshotBody>()
            .WithName("UsageSnapshot")
            .WithSummary("Report a self-hosted install's usage snapshot (gauges, for the vendor; never billed).");
        group.MapPost("/v1/beacon/ingest-traces", IngestTracesAsync)
            .DescribesJsonBody<RouteHandlerBuilder, TraceBatchBody>()
            .WithName("IngestTraces")
            .WithSummary("Report billable trace transactions; each id counts once, forever.");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SubmitAsync(
        ReportingRequest request, UsageAdmission admission, WindowStore windows, FleetRecorder fleet, TimeProvider time, CancellationToken ct)
    {
        var report = UsageReportParser.Parse(request.Body, Timestamps.FromDateTimeOffset(time.GetUtcNow()));
        if (!report.IsValid) return Problems.Validation(report.Errors, report.Unprocessable);
        var r = report.Value!;
        var caller = request.Caller;
        if (await admission.CheckWorkspacesAsync(caller, [r.WorkspaceId], ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordAsync(caller.OrgId, [(r.WorkspaceId, r.ProjectId)], ct);

        var now = time.GetUtcNow();
        var write = await windows.SupersedeWindowAsync(caller.OrgId, r, caller.Reporter, now, ct);
        // In memory only: the fleet view is written off the request path (one write per deployment per minute at most).
        fleet.Observe(caller.OrgId, DeploymentKey.Of(caller.Reporter, r.WorkspaceId, r.ProjectId),
            new WindowObservation(r.FromMicros, r.ToMicros, write.RunsAdded, write.NodesAdded, now, r.Tags, r.OtherMeasures));
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SnapshotAsync(
        ReportingRequest request, SnapshotStore snapshots, TimeProvider time, CancellationToken ct)
    {
        if (request.Caller.License is not { } license)
            return Problems.Forbidden("Usage snapshots are reported with a license key (license_key), not an API key.");
        var snapshot = UsageSnapshotParser.Parse(request.Body, Timestamps.FromDateTimeOffset(time.GetUtcNow()));
        if (!snapshot.IsValid) return Problems.Validation(snapshot.Errors, snapshot.Unprocessable);
        await snapshots.SupersedeAsync(license.OrgId, license.LicenseId, snapshot.Value!, time.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> IngestTracesAsync(
        ReportingRequest request, UsageAdmission admission, TraceStore traces, TimeProvider time, CancellationToken ct)
    {
        var batch = TraceBatchParser.Parse(request.Body, Timestamps.FromDateTimeOffset(time.GetUtcNow()));
        if (!batch.IsValid) return Problems.Validation(batch.Errors, batch.Unprocessable);
        var transactions = batch.Value!;
        var caller = request.Caller;
        if (await admission.CheckWorkspacesAsync(caller, transactions.Select(t => t.WorkspaceId), ct) is { } refusal) return Problems.Forbidden(refusal);
        await admission.RecordAsync(caller.OrgId, transactions.Select(t => (t.WorkspaceId, t.ProjectId)), ct);

        int inserted = await traces.InsertTraceTransactionsAsync(caller.OrgId, caller.Reporter.LicenseId, transactions, time.GetUtcNow(), ct);
        var unknown = transactions.Where(t => !TraceTransaction.KnownTypes.Contains(t.TransactionType)).GroupBy(t => t.TransactionType)
            .Select(g => $"transaction_type \"{g.Key}\" ({g.Count()} transaction(s)) is not one of {string.Join(", ", TraceTransaction.KnownTypes)}: counted as shortlived.")
            .ToList();
        return TypedResults.Ok(new IngestResult(inserted, unknown.Count > 0 ? unknown : null));
    }
}
