using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Beacon.Storage.Stores;
using Beacon.Tests.FunctionApp;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>
/// Malformed bodies, headers and query strings sent to every route of the route table (SPEC §15): no
/// answer is a 5xx, and a body that is malformed by construction stores nothing. The inputs are drawn
/// from a fixed seed, so a failure names a request that can be sent again.
/// </summary>
[Collection(EdgeCollection.Name)]
[Trait("Tier", "Slow")] // fuzz over the route table
public sealed class RouteFuzzTests(BeaconFixture f)
{
    private const int RequestsPerRoute = 40;

    [Fact]
    public async Task No_malformed_request_to_any_route_is_answered_5xx_or_stores_anything()
    {
        var org = await f.NewOrgAsync();
        var operatorKey = await Operators.NewKeyAsync(f, "ops-fuzz");
        var random = new Random(20261204);
        var failures = new List<string>();
        var routes = RouteTable.Routes(f.Services);
        Assert.True(routes.Count >= 30, $"{routes.Count} routes");

        foreach (var (name, route, methods) in routes)
        {
            foreach (var method in methods)
            {
                for (int i = 0; i < RequestsPerRoute; i++)
                {
                    using var request = Request(random, method, route, org, operatorKey, out var description);
                    HttpResponseMessage response;
                    try
                    {
                        response = await f.Http.SendAsync(request);
                    }
                    catch (HttpRequestException e)
                    {
                        failures.Add($"{name} {description}: the connection failed ({e.Message})");
                        continue;
                    }
                    if ((int)response.StatusCode >= 500) failures.Add($"{name} {description}: {(int)response.StatusCode} {Clip(await response.Content.ReadAsStringAsync())}");
                    response.Dispose();
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
        // Every body was malformed: none of it reached the org's usage, snapshots or telemetry.
        foreach (var kind in new[] { "langsmith_deployments", "traces" })
        {
            var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey, UsageClient.QueryString(kind, "workspace", null, "2022-01-01", "2027-01-01", [org.WorkspaceA, org.WorkspaceB]), "workspace");
            Assert.All(rows, r => Assert.Equal((0L, 0L, 0L, 0L), (r.Runs, r.Nodes, r.Traces, r.Uptime)));
        }
        Assert.Empty(await f.Services.GetRequiredService<SnapshotStore>().ListAsync(org.LicenseId));
        var telemetry = f.Services.GetRequiredService<TelemetryStore>();
        Assert.Empty(await telemetry.LatestAsync(org.LicenseId));
        Assert.Empty(await telemetry.RecordsAsync(org.LicenseId, TelemetryStore.Logs, f.Clock.GetUtcNow()));
        Assert.Empty(await telemetry.RecordsAsync(org.LicenseId, TelemetryStore.Spans, f.Clock.GetUtcNow()));
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private HttpRequestMessage Request(Random random, string method, string route, TestOrg org, string operatorKey, out string description)
    {
        // Route values: a real id now and then, or garbage that must be refused.
        var path = "/" + System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", _ => Pick(random,
            Guid.NewGuid().ToString(), "not-an-id", "%FF%FE", new string('9', 300), "..%2F..%2Fetc", "\u0660\u0661"));
        var query = random.Next(3) == 0 ? "" : "?" + string.Join('&', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(random,
            "start_time=%D9%A0%D9%A9", "start_time=2026-02-30", "end_time=9999-99-99", "group_by=%00", "kind=traces&kind=traces", "limit=-1",
            "limit=99999999999999999999999", "cursor=%FF%FF", "org_id=%E2%80%AE", "license_id=" + new string('a', 5000), "workspace_ids=" + string.Join(',', Enumerable.Repeat("x", 500)),
            "month=2026-13", "month=%D9%A2%D9%A0%D9%A2%D9%A6-01", "state=%C3%28", "trace_tier=<script>", "end_time=", "start_time")));
        var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path + query);
        var auth = random.Next(4);
        if (auth is 0 or 1)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", org.ApiKey);
            request.Headers.TryAddWithoutValidation("X-Operator-Key", operatorKey);
            request.Headers.TryAddWithoutValidation("X-Langchain-License-Key", org.LicenseKey);
        }
        else if (auth == 2)
        {
            foreach (var header in new[] { "X-Api-Key", "X-Operator-Key", "X-Langchain-License-Key" })
                request.Headers.TryAddWithoutValidation(header, Pick(random, "", "bcn_ak_" + new string('x', 4000), "lcl_\"<>{}", "bcn_op_%00", "Bearer x y z"));
        }
        string bodyKind = "none";
        if (method is "post" or "put" or "patch")
        {
            (bodyKind, var body) = Body(random, org);
            request.Content = new ByteArrayContent(body);
            var type = Pick(random, "application/json", "application/json", "application/json", "application/x-protobuf", "text/plain", "application/json; charset=utf-16", "multipart/form-data", "");
            if (type.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            if (random.Next(6) == 0) request.Content.Headers.TryAddWithoutValidation("Content-Encoding", Pick(random, "gzip", "br", "gzip, gzip"));
        }
        description = $"{method.ToUpperInvariant()} {path}{query} auth={auth} body={bodyKind}";
        return request;
    }

    /// <summary>A body that no route may accept as data: each one is malformed in a different way.</summary>
    private (string Kind, byte[] Body) Body(Random random, TestOrg org)
    {
        var now = f.Clock.GetUtcNow();
        var valid = Pick(random,
            Payloads.Window(org.LicenseKey, null, now.AddHours(-1), now.AddMinutes(-55), 3, 9, org.WorkspaceA, "fuzz"),
            Payloads.Traces(org.LicenseKey, [Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "fuzz", 4, now.AddHours(-1))]),
            JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = Payloads.PythonIso(now.AddDays(-1)), to_timestamp = Payloads.PythonIso(now), measures = new { fuzz = 3 } }),
            $$$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{{now.ToUnixTimeMilliseconds() * 1_000_000}}}","severityNumber":17,"body":{"stringValue":"fuzz"}}]}]}]}""");
        switch (random.Next(11))
        {
            case 0: return ("empty", []);
            case 1:
                var bytes = new byte[random.Next(1, 2048)];
                random.NextBytes(bytes);
                bytes[0] = (byte)'{'; // never a valid protobuf message and never JSON
                bytes[^1] = 0xFF;
                return ("random bytes", bytes);
            case 2:
                var text = Encoding.UTF8.GetBytes(valid.Replace("fuzz", "\u0001BAD", StringComparison.Ordinal).Replace(org.WorkspaceA, "BAD" + org.WorkspaceA[3..], StringComparison.Ordinal));
                for (int i = 0; i + 2 < text.Length; i++)
                    if (text[i] == 'B' && text[i + 1] == 'A' && text[i + 2] == 'D') (text[i], text[i + 1]) = (0xC3, 0x28);
                return ("invalid UTF-8 in a string", text);
            case 3: return ("a lone surrogate", Encoding.UTF8.GetBytes(valid.Replace("\"fuzz\"", "\"\\udc00fuzz\"", StringComparison.Ordinal).Replace(org.WorkspaceA, "\\ud800", StringComparison.Ordinal)));
            case 4: return ("nested 5000 deep", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)));
            case 5: return ("a repeated key", Encoding.UTF8.GetBytes("{" + valid[1..valid.IndexOf(',', StringComparison.Ordinal)] + "," + valid[1..]));
            case 6: return ("Arabic-Indic digits in timestamps", Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(valid, "20[0-9][0-9]-", "\u0662\u0660\u0662\u0666-")
                .Replace("\"timeUnixNano\":\"", "\"timeUnixNano\":\"\u0661", StringComparison.Ordinal)));
            case 7: return ("numbers out of range", Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(valid, @"(?<=[:\[,])\s*[0-9]+(?=[,}\]])", "123456789012345678901234567890e400")
                .Replace("\"timeUnixNano\":\"", "\"timeUnixNano\":\"-", StringComparison.Ordinal).Replace("\"severityNumber\":17", "\"severityNumber\":1e999", StringComparison.Ordinal)));
            case 8: return ("truncated", Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length - 1)]));
            case 9: return ("the wrong JSON type", Encoding.UTF8.GetBytes(Pick(random, "[]", "\"x\"", "1", "null", "true", "[{}]")));
            default: return ("fields of the wrong type", Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(valid, "\"[^\"]*\"(?=[,}])", _ => Pick(random, "{}", "[]", "null", "-1", "1e308", "\"\""))));
        }
    }
}
