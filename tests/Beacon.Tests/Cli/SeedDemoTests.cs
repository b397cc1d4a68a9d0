using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Tests.Usage;

namespace Beacon.Tests.Cli;

[Collection(DemoCollection.Name)]
[Trait("Tier", "Slow")] // seeds demos
public sealed class SeedDemoTests(BeaconFixture f)
{
    [Fact]
    public async Task Seed_demo_creates_an_org_whose_90_days_of_both_kinds_are_visible_through_the_api()
    {
        using var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["seed-demo", "--json"], stdout, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
        Assert.Equal(0, code);
        var demo = JsonDocument.Parse(stdout.ToString()).RootElement;
        Assert.Equal(["api_key", "console_url", "dashboard_url", "license_key", "operator_key", "org_id"], demo.EnumerateObject().Select(p => p.Name).Order());
        var key = demo.GetProperty("api_key").GetString()!;
        Assert.Equal("http://127.0.0.1:5080/dashboard/", demo.GetProperty("dashboard_url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await f.PostAsync("/v1/beacon/verify", new { license = demo.GetProperty("license_key").GetString() })).StatusCode);

        var workspaces = (await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", key)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()!).ToList();
        Assert.Equal(4, workspaces.Count); // Production, Staging, Research and the org's Default
        var end = DateTimeOffset.UtcNow.Date.AddDays(1);
        var range = (Start: UsageModel.Iso(end.AddDays(-91)), End: UsageModel.Iso(end));

        var (_, deployments) = await UsageClient.QueryAsync(f.Http, key,
            UsageClient.QueryString("langsmith_deployments", "project", null, range.Start, range.End, workspaces), "project");
        var (_, traces) = await UsageClient.QueryAsync(f.Http, key, UsageClient.QueryString("traces", "user", null, range.Start, range.End, workspaces), "user");
        var (_, tiers) = await UsageClient.QueryAsync(f.Http, key, UsageClient.QueryString("traces", "trace_tier", null, range.Start, range.End, workspaces), "trace_tier");

        // Five deployments in named workspaces and one license-only deployment, which lands in Default.
        Assert.Equal(6, deployments.Select(r => r.Name).Distinct().Count());
        Assert.Contains(deployments, r => r.Name == "Batch Summarizer");
        Assert.All(deployments, r => Assert.NotNull(r.Name));
        Assert.InRange(deployments.Select(r => r.Bucket).Distinct().Count(), 12, 14); // weekly buckets over ~13 weeks
        Assert.True(deployments.Sum(r => r.Runs) > 10_000);
        Assert.True(deployments.Sum(r => r.Uptime) > 86_400 * 90);
        Assert.Equal(3, traces.Select(r => r.Id).Distinct().Count());
        Assert.Equal(["longlived", "shortlived"], tiers.Select(r => r.Id).Distinct().Order());
    }

    [Fact]
    public async Task A_demo_started_days_later_is_topped_up_so_the_last_7_days_have_usage()
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["seed-demo", "--json"], stdout, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString }));
        var json = JsonDocument.Parse(stdout.ToString()).RootElement;
        var demo = new SeedDemo.Result(json.GetProperty("org_id").GetString()!, json.GetProperty("api_key").GetString()!,
            json.GetProperty("license_key").GetString()!, json.GetProperty("dashboard_url").GetString()!, json.GetProperty("operator_key").GetString());
        var seededThrough = f.Clock.GetUtcNow();
        var workspaces = (await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", demo.ApiKey)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()!).ToList();
        async Task<(long Runs, long Traces)> LastSevenDaysAsync()
        {
            var end = f.Clock.GetUtcNow().UtcDateTime.Date;
            var (start, stop) = (UsageModel.Iso(new DateTimeOffset(end.AddDays(-7), TimeSpan.Zero)), UsageModel.Iso(new DateTimeOffset(end, TimeSpan.Zero)));
            var (_, d) = await UsageClient.QueryAsync(f.Http, demo.ApiKey, UsageClient.QueryString("langsmith_deployments", "workspace", null, start, stop, workspaces), "workspace");
            var (_, t) = await UsageClient.QueryAsync(f.Http, demo.ApiKey, UsageClient.QueryString("traces", "workspace", null, start, stop, workspaces), "workspace");
            return (d.Sum(r => r.Runs), t.Sum(r => r.Traces));
        }

        f.Clock.Shift(TimeSpan.FromDays(10));
        try
        {
            Assert.Equal((0L, 0L), await LastSevenDaysAsync()); // ten days on, the seeded usage is older than the preset
            var through = await new SeedDemo(f.Services, f.Clock).TopUpAsync(demo, seededThrough, CancellationToken.None);
            Assert.Equal(f.Clock.GetUtcNow().UtcDateTime.Date, through.UtcDateTime.Date);
            var (runs, traces) = await LastSevenDaysAsync();
            Assert.True(runs > 1000, $"runs {runs}");
            Assert.True(traces > 1000, $"traces {traces}");
        }
        finally
        {
            f.Clock.Reset();
        }
    }

    [Fact]
    public async Task A_second_start_says_beacon_is_already_running_instead_of_failing_on_a_port()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["dev", "--urls", f.Http.BaseAddress!.ToString().TrimEnd('/')], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains($"Beacon is already running at {f.Http.BaseAddress.ToString().TrimEnd('/')}", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("EADDRINUSE", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_demo_keeps_its_deployments_reporting_past_eleven_minutes_and_one_silent_by_design()
    {
        var demo = await new SeedDemo(f.Services, f.Clock).RunAsync(f.Http.BaseAddress!.ToString(), CancellationToken.None);
        // The setup is in the audit log like the same steps through the CLI, with no secret in it.
        var audit = (await Vendor.Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=100", demo.OperatorKey!)).GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("detail").TryGetProperty("by", out var by) && by.GetString() == "seed-demo").ToList();
        Assert.Contains(audit, r => r.GetProperty("action").GetString() == "org.create" && r.GetProperty("target").GetString() == "org:" + demo.OrgId);
        foreach (var action in new[] { "license.create", "operator.create", "apikey.create", "workspace.create", "user.create" })
            Assert.Contains(audit, r => r.GetProperty("action").GetString() == action && r.GetProperty("actor").GetString() == "cli");
        var auditText = string.Join("\n", audit.Select(r => r.ToString()));
        foreach (var secret in new[] { demo.ApiKey, demo.LicenseKey, demo.OperatorKey! }.Concat(demo.ReporterKeys!.Values))
            Assert.DoesNotContain(secret, auditText, StringComparison.Ordinal);

        var replicas = await DevCommand.LiveReplicasAsync(f.Services, demo, CancellationToken.None);
        // Every replica of the five deployments meant to report: 3 + 2 + 1 + 2 + 1 (Data Pipeline Agent stays quiet).
        Assert.Equal(9, replicas.Count);
        var live = new DemoReplicas(f.Http, replicas, DemoReplicas.ClientInterval, f.Clock, _ => { });
        var moved = TimeSpan.Zero;
        try
        {
            Assert.Equal(9, await live.TickAsync(CancellationToken.None));
            // Beacon unreachable for one interval: nothing is accepted, and the next window covers both (the client's merge).
            using (var down = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") })
            {
                f.Clock.Shift(DemoReplicas.ClientInterval);
                moved += DemoReplicas.ClientInterval;
                var startsBefore = replicas.Select(r => r.PendingFrom).ToList();
                Assert.Equal(0, await new DemoReplicas(down, replicas, DemoReplicas.ClientInterval, f.Clock, _ => { }).TickAsync(CancellationToken.None));
                Assert.Equal(startsBefore, replicas.Select(r => r.PendingFrom));
                Assert.True(replicas.Sum(r => r.PendingRuns) > 0); // the runs counted meanwhile wait for the next send
            }
            for (int i = 0; i < 2; i++)
            {
                f.Clock.Shift(DemoReplicas.ClientInterval);
                moved += DemoReplicas.ClientInterval;
                Assert.Equal(9, await live.TickAsync(CancellationToken.None));
            }
            // All sent: the next windows start now.
            Assert.All(replicas, r => Assert.Equal(0L, r.PendingRuns));
            Assert.All(replicas, r => Assert.InRange(r.PendingFrom, f.Clock.GetUtcNow().AddSeconds(-30), f.Clock.GetUtcNow()));

            // Fifteen minutes after the seed, past the 660 s that make a deployment silent: the live ones report.
            var list = await Vendor.Operators.EventuallyAsync(() => Vendor.Operators.DeploymentsAsync(f, demo.OperatorKey!, demo.OrgId),
                l => l.Count(d => d.GetProperty("state").GetString() == "reporting") == 5, seconds: 120);
            var byName = list.ToDictionary(d => d.GetProperty("project_name").GetString()!, d => d);
            Assert.Equal("silent", byName["Data Pipeline Agent"].GetProperty("state").GetString());
            foreach (var name in new[] { "Support Agent", "Sales Copilot", "Code Reviewer", "Research Assistant", "Batch Summarizer" })
                Assert.Equal("reporting", byName[name].GetProperty("state").GetString());
            Assert.Equal(3, byName["Support Agent"].GetProperty("replicas").GetInt32());
        }
        finally
        {
            f.Clock.Shift(-moved);
        }
    }
}
