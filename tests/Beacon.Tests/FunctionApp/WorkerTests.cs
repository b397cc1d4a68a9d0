using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Storage.Rollups;
using Beacon.FunctionsHost;
using Beacon.FunctionsHost.Rpc;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// The function app (the isolated worker as built, which is what `func start` runs; SPEC §16), driven by
/// <see cref="FunctionsHostDouble"/> over the Functions host's gRPC protocol against the fixture's Azurite.
/// </summary>
[Collection(WorkerCollection.Name)]
[Trait("Tier", "Slow")] // starts worker processes
public sealed class WorkerTests(BeaconFixture f) : IAsyncLifetime
{
    private readonly string _folder = BuiltApp.WorkerFolder(typeof(WorkerTests).Assembly);
    private FunctionsHostDouble? _worker;

    /// <summary>
    /// A worker on the fixture's storage, started by the first test step that needs it: a worker process costs
    /// seconds of CPU to start (ADR 0019), and half of these tests start their own or none.
    /// </summary>
    private async Task<FunctionsHostDouble> WorkerAsync() =>
        _worker ??= await FunctionsHostDouble.StartAsync(_folder, f.Settings().Where(kv => kv.Key != "urls").ToDictionary());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_worker is not null) await _worker.DisposeAsync();
    }

    [Fact]
    public async Task The_function_app_has_a_function_per_route_of_the_route_table_and_the_two_timers()
    {
        var routes = RouteTable.Routes(f.Services).Select(r => (r.Name, r.Route, string.Join(',', r.Methods))).Order().ToList();

        // functions.metadata, as the SDK generated it.
        var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "functions.metadata"))).RootElement.EnumerateArray()
            .Select(fn => (Name: fn.GetProperty("name").GetString()!, Trigger: fn.GetProperty("bindings")[0])).ToList();
        Assert.Equal(routes, metadata.Where(m => m.Trigger.GetProperty("type").GetString() == "httpTrigger")
            .Select(m => (m.Name, m.Trigger.GetProperty("route").GetString()!, string.Join(',', m.Trigger.GetProperty("methods").EnumerateArray().Select(x => x.GetString()!).Order())))
            .Order().ToList());
        Assert.All(metadata.Where(m => m.Trigger.GetProperty("type").GetString() == "httpTrigger"), m => Assert.Equal("Anonymous", m.Trigger.GetProperty("authLevel").GetString()));
        // Two timers: the rollup on its setting's schedule, and the alerts run every minute (SPEC §18).
        Assert.Equal([("Alerts", "0 * * * * *"), ("Rollup", "%Beacon:RollupSchedule%")], metadata.Where(m => m.Trigger.GetProperty("type").GetString() == "timerTrigger")
            .Select(m => (m.Name, m.Trigger.GetProperty("schedule").GetString()!)).Order());

        // What the worker told the host, and the OpenAPI document: the same operations.
        Assert.Equal(metadata.Select(m => m.Name).Order(), (await WorkerAsync()).Functions.Select(fn => fn.Name).Order());
        var openApi = JsonDocument.Parse(await f.Http.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value.GetProperty("operationId").GetString()!)).Order().ToList();
        Assert.Equal(routes.Select(r => r.Name).Where(n => n != "OpenApi").Order(), openApi);

        // host.json at the app's root, with no custom handler and no route prefix.
        var hostJson = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "host.json"))).RootElement;
        Assert.False(hostJson.TryGetProperty("customHandler", out _));
        Assert.Equal("", hostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task The_documented_publish_makes_a_framework_dependent_ready_to_run_package_and_its_zip()
    {
        // What `dotnet publish src/Beacon.Functions -c Release -r linux-x64` does, as MSBuild evaluates the project
        // for it. The tests run the build output (above), so they do not pay for a ReadyToRun compile; the bench
        // publishes the package for its cold start and checks the result (PublishedApp.CheckWorkerPackage).
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Beacon.Functions"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "msbuild", "-nologo", "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", "-getProperty:PublishReadyToRun", "-getProperty:SelfContained", "-getProperty:FunctionAppZip" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        var properties = JsonDocument.Parse(output).RootElement.GetProperty("Properties");
        Assert.Equal("true", properties.GetProperty("PublishReadyToRun").GetString());
        Assert.Equal("false", properties.GetProperty("SelfContained").GetString()); // Flex Consumption's dotnet-isolated runtime has the framework
        Assert.EndsWith("artifacts/beacon-functionapp.zip", Path.GetFullPath(properties.GetProperty("FunctionAppZip").GetString()!).Replace('\\', '/'), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_route_answers_through_the_worker_exactly_as_through_serve()
    {
        // serve keeps its signing keys for SigningKeyRing.RefreshEvery on the fixture's clock; other tests rotate
        // keys, and the worker (just started) has read the newest, so let serve's copy expire first.
        f.Clock.Shift(Beacon.Tokens.SigningKeyRing.RefreshEvery);
        try
        {
            await EveryRouteAnswersAsThroughServeAsync();
        }
        finally
        {
            f.Clock.Reset();
        }
    }

    private async Task EveryRouteAnswersAsThroughServeAsync()
    {
        var key = await Operators.NewKeyAsync(f, "ops-worker");
        var org = await f.NewOrgAsync();
        var quiet = await f.NewOrgAsync();
        var nine = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-1).AddHours(9);
        var window = Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 7, 21, org.WorkspaceA, "p-1");
        var apiCopy = Payloads.Window(null, org.ApiKey, nine, nine.AddMinutes(5), 7, 21, org.WorkspaceA, "p-1");
        var traceId = Guid.NewGuid().ToString();
        var traces = Payloads.Traces(org.LicenseKey, [Payloads.Transaction(traceId, org.WorkspaceA, "p-1", 5, nine)]);
        Assert.Equal(HttpStatusCode.OK, (await f.PostJsonAsync("/v1/beacon/ingest-traces", traces)).StatusCode); // the id is known: both answers say 0
        var snapshot = $$$"""{"license_key":"{{{org.LicenseKey}}}","from_timestamp":"{{{Payloads.PythonIso(nine)}}}","to_timestamp":"{{{Payloads.PythonIso(nine.AddDays(1))}}}","measures":{"users":3}}""";
        long nanos = nine.ToUnixTimeMilliseconds() * 1_000_000;
        var metrics = $$$"""{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"lg_api_workers_available","gauge":{"dataPoints":[{"asInt":"4","timeUnixNano":"{{{nanos}}}"}]}}]}]}]}""";
        var logs = $$$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{{nanos}}}","severityNumber":17,"body":{"stringValue":"boom"}}]}]}]}""";
        var spans = $$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"slow","startTimeUnixNano":"{{{nanos}}}","endTimeUnixNano":"{{{nanos + 2_000_000_000}}}"}]}]}]}""";
        var range = $"start_time={nine:yyyy-MM-dd}&end_time={nine.AddDays(1):yyyy-MM-dd}&workspace_ids={org.WorkspaceA}";
        var month = Domain.Statements.Month.Of(f.Clock.GetUtcNow());

        (string Name, HttpMethod Method, string Path, string? Body, (string, string)? Header)[] recipes =
        [
            ("Health", HttpMethod.Get, "/health", null, null),
            ("Jwks", HttpMethod.Get, "/.well-known/jwks.json", null, null),
            ("OpenApi", HttpMethod.Get, "/openapi/v1.json", null, null),
            ("Meters", HttpMethod.Get, "/api/v1/meters", null, null),
            ("Dashboard", HttpMethod.Get, "/dashboard/app.js", null, null),
            ("Console", HttpMethod.Get, "/console/", null, null),
            ("Verify", HttpMethod.Post, "/v1/beacon/verify", """{"license":"lcl_not-issued"}""", null),
            ("Auth", HttpMethod.Post, "/auth", "{}", ("X-Api-Key", org.ApiKey)),
            ("Submit", HttpMethod.Post, "/v1/metadata/submit", window, null),
            ("BeaconSubmit", HttpMethod.Post, "/v1/beacon/metadata/submit", window, null),
            ("ApiSubmit", HttpMethod.Post, "/api/v1/metadata/submit", apiCopy, null),
            ("IngestTraces", HttpMethod.Post, "/v1/beacon/ingest-traces", traces, null),
            ("UsageSnapshot", HttpMethod.Post, "/v1/beacon/usage-snapshot", snapshot, null),
            ("OtlpMetrics", HttpMethod.Post, "/v1/beacon/v1/metrics", metrics, ("X-Langchain-License-Key", org.LicenseKey)),
            ("OtlpLogs", HttpMethod.Post, "/v1/beacon/v1/logs", logs, ("X-Langchain-License-Key", org.LicenseKey)),
            ("OtlpTraces", HttpMethod.Post, "/v1/beacon/v1/traces", spans, ("X-Langchain-License-Key", org.LicenseKey)),
            ("GranularUsage", HttpMethod.Get, $"/api/v1/orgs/current/billing/granular-usage?kind=langsmith_deployments&group_by=project&{range}", null, ("X-Api-Key", org.ApiKey)),
            ("GranularUsageExport", HttpMethod.Get, $"/api/v1/orgs/current/billing/granular-usage/export?group_by=user&{range}", null, ("X-Api-Key", org.ApiKey)),
            ("Workspaces", HttpMethod.Get, "/api/v1/orgs/current/workspaces", null, ("X-Api-Key", org.ApiKey)),
            ("CurrentOrganization", HttpMethod.Get, "/api/v1/orgs/current", null, ("X-Api-Key", org.ApiKey)),
            ("WorkspaceList", HttpMethod.Get, "/api/v1/workspaces", null, ("X-Api-Key", org.ApiKey)),
            ("OperatorLicenses", HttpMethod.Get, $"/api/v1/operator/licenses?org_id={quiet.OrgId}", null, ("X-Operator-Key", key)),
            ("OperatorLicense", HttpMethod.Get, $"/api/v1/operator/licenses/{quiet.LicenseId}", null, ("X-Operator-Key", key)),
            ("OperatorLicenseSuspend", HttpMethod.Post, $"/api/v1/operator/licenses/{quiet.LicenseId}/suspend", "{}", ("X-Operator-Key", key)),
            ("OperatorLicenseActivate", HttpMethod.Post, $"/api/v1/operator/licenses/{quiet.LicenseId}/activate", "{}", ("X-Operator-Key", key)),
            ("OperatorLicenseExtend", HttpMethod.Post, $"/api/v1/operator/licenses/{quiet.LicenseId}/extend", """{"expires_at":"2031-01-01T00:00:00Z"}""", ("X-Operator-Key", key)),
            ("OperatorLicenseOfflineKey", HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/offline-key", """{"expires_at":"2030-01-01T00:00:00Z"}""", ("X-Operator-Key", key)),
            ("OperatorLicenseRevoke", HttpMethod.Post, $"/api/v1/operator/licenses/{quiet.LicenseId}/revoke", "{}", ("X-Operator-Key", key)),
            // A file that is not an export: the same 400 listing its bad row from both hosts (an accepted one would answer 201, then 200).
            ("OperatorLicenseUsageReport", HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/usage-reports", "not,a,usage,export\r\n1,2,3,4\r\n", ("X-Operator-Key", key)),
            ("OperatorLicenseUsageReports", HttpMethod.Get, $"/api/v1/operator/licenses/{org.LicenseId}/usage-reports", null, ("X-Operator-Key", key)),
            // Webhooks: answers that do not depend on which host made them (a created endpoint has a new id and secret each time).
            ("OperatorWebhookCreate", HttpMethod.Post, "/api/v1/operator/webhooks", """{"url":"ftp://example.com/x","events":["nope"]}""", ("X-Operator-Key", key)),
            ("OperatorWebhooks", HttpMethod.Get, "/api/v1/operator/webhooks", null, ("X-Operator-Key", key)),
            ("OperatorWebhookDelete", HttpMethod.Delete, "/api/v1/operator/webhooks/wh_none", null, ("X-Operator-Key", key)),
            ("OperatorWebhookTest", HttpMethod.Post, "/api/v1/operator/webhooks/wh_none/test", "{}", ("X-Operator-Key", key)),
            ("OperatorWebhookDeliveries", HttpMethod.Get, "/api/v1/operator/webhooks/wh_none/deliveries", null, ("X-Operator-Key", key)),
            ("OperatorWebhookRedeliver", HttpMethod.Post, "/api/v1/operator/webhooks/deliveries/wh_none.0/redeliver", "{}", ("X-Operator-Key", key)),
            ("OperatorLicenseUsage", HttpMethod.Get, $"/api/v1/operator/licenses/{org.LicenseId}/usage?month={Domain.Statements.Month.Of(nine)}", null, ("X-Operator-Key", key)),
            ("OperatorDeployments", HttpMethod.Get, $"/api/v1/operator/deployments?org_id={quiet.OrgId}", null, ("X-Operator-Key", key)),
            ("OperatorTelemetry", HttpMethod.Get, $"/api/v1/operator/telemetry?license_id={org.LicenseId}", null, ("X-Operator-Key", key)),
            ("OperatorSnapshots", HttpMethod.Get, $"/api/v1/operator/snapshots?license_id={org.LicenseId}", null, ("X-Operator-Key", key)),
            ("OperatorAudit", HttpMethod.Get, "/api/v1/operator/audit?limit=5", null, ("X-Operator-Key", key)),
            ("OperatorStatement", HttpMethod.Get, $"/api/v1/operator/statements?month={Domain.Statements.Month.Of(nine)}", null, ("X-Operator-Key", key)),
            ("OperatorStatementClose", HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", "{}", ("X-Operator-Key", key)),
            ("OperatorAdjustments", HttpMethod.Post, "/api/v1/operator/adjustments", $$"""{"org_id":"{{org.OrgId}}","metric":"agent_runs","delta":5,"for_month":"{{month}}"}""", ("X-Operator-Key", key)),
        ];
        Assert.Equal(RouteTable.Routes(f.Services).Select(r => r.Name).Order(), recipes.Select(r => r.Name).Order());

        HttpRequestMessage Build((string Name, HttpMethod Method, string Path, string? Body, (string, string)? Header) r)
        {
            var m = new HttpRequestMessage(r.Method, r.Path);
            if (r.Body is not null) m.Content = new StringContent(r.Body, Encoding.UTF8, "application/json");
            if (r.Header is { } h) m.Headers.Add(h.Item1, h.Item2);
            return m;
        }
        var host = await WorkerAsync();
        var differ = new List<string>();
        foreach (var recipe in recipes)
        {
            using var standalone = await f.Http.SendAsync(Build(recipe));
            var (worker, invocation) = await host.SendAsync(Build(recipe));
            using (worker)
            {
                Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, $"{recipe.Name}: {invocation.Result.Exception?.Message}");
                var (a, b) = (await Describe(standalone), await Describe(worker));
                if (a != b) differ.Add($"{recipe.Name}\n  serve:  {a}\n  worker: {b}");
            }
        }
        Assert.True(differ.Count == 0, string.Join('\n', differ));
    }

    /// <summary>Status, the headers that matter, and the body — with what differs by request by design (trace ids, the server URL) left out.</summary>
    private static async Task<string> Describe(HttpResponseMessage r)
    {
        var type = r.Content.Headers.ContentType?.ToString() ?? "";
        var text = await r.Content.ReadAsStringAsync();
        if (type.Contains("json", StringComparison.Ordinal) && text.Length > 0 && JsonNode.Parse(text) is JsonObject json)
        {
            json.Remove("trace_id");
            json.Remove("servers");
            // An offline key carries its own jti and issue time, ES256 signatures are randomized, and which key signs
            // depends on the clock (the worker runs on the real one, serve on the tests'): that it is a JWS must match.
            if (json["license_key"]?.ToString().Split('.') is { Length: 3 })
            {
                json["license_key"] = "(a compact JWS)";
                json.Remove("kid");
            }
            text = json.ToJsonString();
        }
        var disposition = r.Content.Headers.ContentDisposition?.ToString();
        var source = r.Headers.TryGetValues("X-Beacon-Export-Source", out var s) ? s.Single() : null;
        return $"{(int)r.StatusCode} {type} {disposition} {source} {text}";
    }

    [Fact]
    public async Task A_timer_invocation_runs_a_rollup_of_every_org()
    {
        // Its own storage: a rollup of every org in the shared test account (hundreds, with years of data) takes minutes.
        await using var own = await Azurite.Azurite.StartAsync(Testing.AzuriteFixture.RepositoryRoot);
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = own.ConnectionString });
        try
        {
            await app.Services.GetRequiredService<Beacon.Hosting.StorageReadiness>().EnsureAsync(CancellationToken.None);
            var rollups = app.Services.GetRequiredService<RollupStore>();
            var orgs = new[] { await f.NewOrgAsync(services: app.Services), await f.NewOrgAsync(services: app.Services) };
            var nine = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-2).AddHours(9);
            foreach (var org in orgs)
            {
                var window = Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 3, 9, org.WorkspaceA);
                Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/v1/metadata/submit", new StringContent(window, Encoding.UTF8, "application/json"))).StatusCode);
                Assert.Null(await rollups.GetProgressAsync(org.OrgId));
            }
            await using var host = await FunctionsHostDouble.StartAsync(_folder,
                f.Settings(new Dictionary<string, string> { ["AzureWebJobsStorage"] = own.ConnectionString }).Where(kv => kv.Key != "urls").ToDictionary());

            var invocation = await host.InvokeTimerAsync("Rollup");

            Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.Message);
            foreach (var org in orgs)
            {
                var progress = await rollups.GetProgressAsync(org.OrgId);
                Assert.NotNull(progress);
                Assert.True(progress.RolledThrough >= DateOnly.FromDateTime(nine.UtcDateTime));
                Assert.Contains(host.Logs, l => l.Message.Contains(org.OrgId, StringComparison.Ordinal));
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task The_alerts_timer_runs_through_the_worker()
    {
        var host = await WorkerAsync();
        var invocation = await host.InvokeTimerAsync("Alerts");
        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.Message);
        Assert.Contains(host.Logs, l => l.Message.Contains("Alerts run:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exception_in_a_function_fails_its_invocation_instead_of_hanging()
    {
        // A second worker whose storage is a closed port: HTTP routes still answer (503), the timer's run throws.
        var settings = f.Settings(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.Azurite.DevelopmentKey
                + ";TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        }).Where(kv => kv.Key != "urls").ToDictionary();
        await using var broken = await FunctionsHostDouble.StartAsync(_folder, settings);

        var (health, healthInvocation) = await broken.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(StatusResult.Types.Status.Success, healthInvocation.Result.Status);

        var invocation = await broken.InvokeTimerAsync("Rollup");
        Assert.Equal(StatusResult.Types.Status.Failure, invocation.Result.Status);
        Assert.False(string.IsNullOrEmpty(invocation.Result.Exception?.Message));
    }
}
