using System.Text.Json;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// <c>/openapi/v1.json</c> describes every route the app maps: the same routes, methods and names as the
/// route table (which the worker's functions.metadata is held to, WorkerTests), each with a tag, a summary
/// and its problem responses.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class OpenApiDocumentTests(BeaconFixture f)
{
    [Fact]
    public async Task The_document_names_every_public_route_with_tags_summaries_and_problem_responses()
    {
        var response = await f.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var operations = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name.TrimStart('/'), Method: o.Name, Op: o.Value)))
            .ToList();

        // The document itself is the one route it leaves out (ASP.NET excludes it by design).
        var routes = RouteTable.Routes(f.Services).Where(r => r.Name != "OpenApi").ToList();
        Assert.Equal(
            routes.SelectMany(r => r.Methods.Select(m => $"{m} {r.Route.Replace("{*", "{", StringComparison.Ordinal)} {r.Name}")).Order(),
            operations.Select(o => $"{o.Method} {o.Path} {o.Op.GetProperty("operationId").GetString()}").Order());

        foreach (var (path, method, op) in operations)
        {
            Assert.True(op.GetProperty("tags").GetArrayLength() > 0, $"{method} {path}: no tag");
            Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), $"{method} {path}: no summary");
            var problems = op.GetProperty("responses").EnumerateObject()
                .Where(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _))
                .Select(r => r.Name).ToList();
            // The meter catalog reads neither input nor storage: it has no problem to describe.
            if (path != "api/v1/meters") Assert.True(problems.Count > 0, $"{method} {path}: no problem responses");
        }
        var usage = operations.Single(o => o.Path == "api/v1/orgs/current/billing/granular-usage").Op;
        Assert.Equal(["start_time", "end_time", "workspace_ids", "kind", "group_by", "trace_tier"],
            usage.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }
}
