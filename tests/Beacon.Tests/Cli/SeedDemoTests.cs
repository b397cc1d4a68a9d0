using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Tests.Usage;

namespace Beacon.Tests.Cli;

[Collection(CalendarCollection.Name)]
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
}
