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

    [Fact]
    public async Task Every_body_a_route_reads_is_described_and_holds_every_field_the_real_client_sends()
    {
        var doc = JsonDocument.Parse(await f.Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var bodies = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("requestBody", out _))
                .Select(o => (Key: $"{o.Name} {p.Name}", Body: o.Value.GetProperty("requestBody").GetProperty("content"))))
            .ToDictionary(b => b.Key, b => b.Body);
        Assert.Equal(
            ["post /api/v1/metadata/submit", "post /api/v1/operator/adjustments", "post /api/v1/operator/licenses/{id}/extend",
             "post /api/v1/operator/licenses/{id}/offline-key", "post /api/v1/operator/licenses/{id}/usage-reports", "post /api/v1/operator/webhooks",
             "post /v1/beacon/ingest-traces", "post /v1/beacon/metadata/submit", "post /v1/beacon/usage-snapshot", "post /v1/beacon/v1/logs",
             "post /v1/beacon/v1/metrics", "post /v1/beacon/v1/traces", "post /v1/beacon/verify", "post /v1/metadata/submit"],
            bodies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["application/json", "application/x-protobuf"], bodies["post /v1/beacon/v1/metrics"].EnumerateObject().Select(c => c.Name).Order());
        Assert.Equal(["text/csv"], bodies["post /api/v1/operator/licenses/{id}/usage-reports"].EnumerateObject().Select(c => c.Name));

        // The client's own payloads (SPEC §4.4, byte for byte in Payloads): every field it sends is in the schema.
        var now = DateTimeOffset.UtcNow;
        var examples = new Dictionary<string, string>
        {
            ["post /v1/beacon/metadata/submit"] = Payloads.CurrentClientWindow(now.AddMinutes(-5), now, 1, 2, licenseKey: "lcl_x", tenant: "t", project: "p"),
            ["post /v1/metadata/submit"] = Payloads.Window(null, "bcn_ak_x", now.AddMinutes(-5), now, 1, 2),
            ["post /v1/beacon/ingest-traces"] = Payloads.Traces("lcl_x", [Payloads.Transaction(Guid.NewGuid().ToString(), "t", "p", 3, now)]),
            ["post /v1/beacon/verify"] = """{"license":"lcl_x"}""",
            ["post /api/v1/operator/adjustments"] = """{"org_id":"o","license_id":null,"metric":"agent_runs","delta":-100,"for_month":"2026-11","reason":"outage credit"}""",
            ["post /api/v1/operator/webhooks"] = """{"url":"https://example.com/hook","events":["license.suspended"],"description":"ops"}""",
            ["post /api/v1/operator/licenses/{id}/extend"] = """{"expires_at":"2027-12-31T23:59:59Z"}""",
        };
        foreach (var (route, example) in examples)
        {
            var schema = bodies[route].GetProperty("application/json").GetProperty("schema");
            var missing = Missing(schema, JsonDocument.Parse(example).RootElement, "$").ToList();
            Assert.True(missing.Count == 0, $"{route}: the document leaves out {string.Join(", ", missing)}");
        }
    }

    /// <summary>Fields of <paramref name="value"/> that <paramref name="schema"/> does not describe (maps and free-form values describe everything).</summary>
    private static IEnumerable<string> Missing(JsonElement schema, JsonElement value, string at)
    {
        if (value.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var field in value.EnumerateObject())
            {
                if (!properties.TryGetProperty(field.Name, out var inner)) yield return $"{at}.{field.Name}";
                else foreach (var m in Missing(inner, field.Value, $"{at}.{field.Name}")) yield return m;
            }
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var item in value.EnumerateArray())
                foreach (var m in Missing(items, item, at + "[]")) yield return m;
        }
    }
}
