using Beacon.Api.Access;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Storage.Exports;
using Beacon.Storage.Query;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Billing;

/// <summary>
/// The granular usage API (SPEC §5, the seed document): time-bucketed usage by workspace, project, user,
/// API key or trace tier, as JSON or CSV, plus the workspaces the key can read (for the dashboard).
/// The group's filter has authenticated the key and checked its <c>organization:read</c> permission.
/// </summary>
internal static class GranularUsageEndpoints
{
    public static IEndpointRouteBuilder MapGranularUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/orgs/current").WithTags("Billing").RequireApiKey(readUsage: true);
        group.MapGet("/billing/granular-usage", UsageAsync)
            .WithName("GranularUsage")
            .WithSummary("Billable usage by time bucket and dimension, as JSON.")
            .WithUsageQueryParameters()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/billing/granular-usage/export", ExportAsync)
            .WithName("GranularUsageExport")
            .WithSummary("The same usage as a CSV file.")
            .WithUsageQueryParameters()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/workspaces", WorkspacesAsync)
            .WithName("Workspaces")
            .WithSummary("The workspaces this API key can read, with their names.");
        return app;
    }

    private static async Task<Results<UsageJsonResult, ProblemHttpResult>> UsageAsync(
        HttpRequest request, CustomerCaller caller, UsageAccess access, UsageQueryEngine engine, DirectoryStore directory, MeterCatalog catalog, CancellationToken ct)
    {
        if (!(await PrepareAsync(request, caller, access, engine, directory, ct)).TryGet(out var prepared, out var problem)) return problem;
        return new UsageJsonResult(prepared, engine, catalog);
    }

    private static async Task<Results<UsageCsvResult, ProblemHttpResult>> ExportAsync(
        HttpRequest request, CustomerCaller caller, UsageAccess access, UsageQueryEngine engine, StagedExports staged, DirectoryStore directory, UsageCsvWriter csv,
        CancellationToken ct)
    {
        if (!(await PrepareAsync(request, caller, access, engine, directory, ct)).TryGet(out var prepared, out var problem)) return problem;
        if (prepared.Query.GroupBy == GroupBy.License)
            return Problems.Validation([new FieldError("group_by", "license grouping is served as JSON only: the CSV header is fixed by the seed document and has no license column.")]);
        return new UsageCsvResult(prepared, engine, staged, csv);
    }

    /// <summary>The parameters parsed (400 naming each bad one) and every workspace checked (403), then names and coverage loaded.</summary>
    private static async Task<RequestRead<PreparedQuery>> PrepareAsync(
        HttpRequest request, CustomerCaller caller, UsageAccess access, UsageQueryEngine engine, DirectoryStore directory, CancellationToken ct)
    {
        var parsed = UsageAccess.Parse(request.Query);
        if (!parsed.IsValid) return Problems.Validation(parsed.Errors);
        var query = parsed.Value!;
        var key = caller.Key;
        var refused = await access.UnreadableAsync(key, query, ct);
        if (refused.Count > 0) return Problems.Forbidden($"Not readable with this API key: workspace {string.Join(", ", refused)}.");
        var names = await DimensionNames.LoadAsync(directory, key.OrgId, query.GroupBy, ct);
        var defaultWorkspace = await directory.GetDefaultWorkspaceAsync(key.OrgId, ct) ?? throw new InvalidOperationException($"The API key's organization {key.OrgId} does not exist.");
        return new PreparedQuery(key.OrgId, query, names, await engine.GetCoverageAsync(key.OrgId, defaultWorkspace, ct), defaultWorkspace);
    }

    private static async Task<Ok<WorkspaceList>> WorkspacesAsync(CustomerCaller caller, UsageAccess access, CancellationToken ct)
    {
        var workspaces = await access.ReadableWorkspacesAsync(caller.Key, ct);
        return TypedResults.Ok(new WorkspaceList([.. workspaces.Select(w => new WorkspaceItem(w.WorkspaceId, w.Name.Length > 0 ? w.Name : null))]));
    }
}
