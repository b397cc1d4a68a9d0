using System.Text.Json;
using Beacon.Domain.Csv;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Storage.Exports;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Microsoft.Net.Http.Headers;

namespace Beacon.Api;

/// <summary>
/// The granular usage API (SPEC §5, the seed document): time-bucketed usage by workspace, project, user,
/// API key or trace tier, as JSON or CSV, plus the workspaces the key can read (for the dashboard).
/// Answers stream: a bucket at a time from the engine, written as it comes. Small answers are sent
/// whole, so a storage fault is still a clean 503; a fault in the middle of a large answer aborts the
/// connection, so no client can mistake a truncated answer for a complete one.
/// </summary>
internal static class GranularUsageEndpoints
{
    public static IEndpointRouteBuilder MapGranularUsageEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/orgs/current");
        group.MapGet("/billing/granular-usage", UsageAsync)
            .WithName("GranularUsage")
            .WithSummary("Billable usage by time bucket and dimension, as JSON.");
        group.MapGet("/billing/granular-usage/export", ExportAsync)
            .WithName("GranularUsageExport")
            .WithSummary("The same usage as a CSV file.");
        group.MapGet("/workspaces", WorkspacesAsync)
            .WithName("Workspaces")
            .WithSummary("The workspaces this API key can read, with their names.");
        return app;
    }

    /// <summary>What both usage endpoints need before they answer: an authorized query, names, rollup coverage.</summary>
    private sealed record Prepared(string OrgId, UsageQuery Query, DimensionNames Names, RollupCoverage Coverage);

    private static async Task<(Prepared? Prepared, IResult? Problem)> PrepareAsync(
        HttpRequest request, UsageAccess access, UsageQueryEngine engine, DirectoryStore directory, CancellationToken ct)
    {
        var (key, denied) = await access.AuthenticateReaderAsync(request, ct);
        if (denied is not null) return (null, denied);
        var (query, problem) = await access.ParseAndAuthorizeAsync(key!, request.Query, ct);
        if (problem is not null) return (null, problem);
        var names = await DimensionNames.LoadAsync(directory, key!.OrgId, query!.GroupBy, ct);
        return (new Prepared(key.OrgId, query, names, await engine.GetCoverageAsync(key.OrgId, ct)), null);
    }

    private static async Task<IResult> UsageAsync(HttpContext http, UsageAccess access, UsageQueryEngine engine, DirectoryStore directory, CancellationToken ct)
    {
        var (prepared, problem) = await PrepareAsync(http.Request, access, engine, directory, ct);
        if (problem is not null) return problem;
        var (orgId, query, names, coverage) = prepared!;

        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("stride");
        json.WriteNumber("days", query.StrideDays);
        json.WriteNumber("hours", 0);
        json.WriteEndObject();
        json.WriteStartArray("usage");
        await foreach (var record in engine.RunAsync(orgId, query, coverage, ct))
        {
            UsageJson.WriteRecord(json, query, record, names.Label(record.DimensionValue));
            if (json.BytesPending > 64 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return Results.Empty;
    }

    private static async Task<IResult> ExportAsync(
        HttpContext http, UsageAccess access, UsageQueryEngine engine, StagedExports staged, DirectoryStore directory, CancellationToken ct)
    {
        var (prepared, problem) = await PrepareAsync(http.Request, access, engine, directory, ct);
        if (problem is not null) return problem;
        var (orgId, query, names, coverage) = prepared!;

        await using (var file = await staged.TryOpenAsync(orgId, query, names, coverage, ct))
        {
            if (file is not null)
            {
                SetCsvHeaders(http.Response, query, "staged");
                http.Response.ContentLength = file.Properties.Length;
                await file.Content.CopyToAsync(http.Response.Body, ct);
                return Results.Empty;
            }
        }
        SetCsvHeaders(http.Response, query, "live");
        await UsageCsvWriter.WriteAsync(http.Response.Body, query, engine.RunAsync(orgId, query, coverage, ct), names.Label, ct);
        return Results.Empty;
    }

    internal static void SetCsvHeaders(HttpResponse response, UsageQuery query, string source)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = CsvLayout.FileName(query) }.ToString();
        // Diagnostics: whether this answer came from a staged blob or was computed now.
        response.Headers["X-Beacon-Export-Source"] = source;
    }

    private static async Task<IResult> WorkspacesAsync(HttpRequest request, UsageAccess access, CancellationToken ct)
    {
        var (key, denied) = await access.AuthenticateReaderAsync(request, ct);
        if (denied is not null) return denied;
        var workspaces = await access.ReadableWorkspacesAsync(key!, ct);
        return TypedResults.Ok(new
        {
            workspaces = workspaces.Select(w => new { workspace_id = w.WorkspaceId, workspace_name = w.Name.Length > 0 ? w.Name : null }),
        });
    }
}

/// <summary>The JSON shape of one usage record, exactly as the seed document shows it.</summary>
internal static class UsageJson
{
    public static void WriteRecord(Utf8JsonWriter w, UsageQuery q, UsageRecord r, DimensionLabel label)
    {
        w.WriteStartObject();
        w.WriteString("time_bucket", Timestamps.FormatUtcSeconds(r.BucketStartMicros));
        w.WriteStartObject("dimensions");
        switch (q.GroupBy)
        {
            case GroupBy.Workspace: Pair(w, "workspace_id", label.Id, "workspace_name", label.Name); break;
            case GroupBy.Project: Pair(w, "project_id", label.Id, "project_name", label.Name); break;
            case GroupBy.User: Pair(w, "user_id", label.Id, "user_email", label.Name); break;
            case GroupBy.ApiKey: Nullable(w, "api_key_short_key", label.Id); break;
            case GroupBy.TraceTier: Nullable(w, "trace_tier", label.Id); break;
        }
        w.WriteEndObject();
        if (q.Kind == UsageKind.Traces)
        {
            w.WriteNumber("traces", r.Traces);
        }
        else
        {
            w.WriteNumber("nodes_executed", r.Nodes);
            w.WriteNumber("agent_runs", r.Runs);
            w.WriteNumber("agent_uptime_seconds", r.UptimeSeconds);
        }
        w.WriteEndObject();
    }

    private static void Pair(Utf8JsonWriter w, string idName, string? id, string nameName, string? name)
    {
        Nullable(w, idName, id);
        Nullable(w, nameName, name);
    }

    private static void Nullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
