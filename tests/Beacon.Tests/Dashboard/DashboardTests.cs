using System.Net;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Tests.Usage;
using Microsoft.Playwright;

namespace Beacon.Tests.Dashboard;

/// <summary>
/// The Granular Usage page in a real browser, against the real app on Azurite with the demo org
/// seeded: what a customer sees must be what the API says.
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait("Tier", "Slow")] // Chromium
public sealed class DashboardTests(NoFleetWriterFixture f, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static string? _demoKey;
    private static JsonElement _demo;
    private IBrowserContext _context = null!;

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public async Task InitializeAsync()
    {
        await SeedLock.WaitAsync();
        try
        {
            if (_demoKey is null)
            {
                using var stdout = new StringWriter();
                Assert.Equal(0, await CliApp.RunAsync(["seed-demo", "--json"], stdout, TextWriter.Null,
                    new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString }));
                _demo = JsonDocument.Parse(stdout.ToString()).RootElement.Clone();
                // Rolled up, as a running Beacon's rollup timer does within a quarter of an hour (`npm start` runs it): the pages
                // then read rollup cells like a customer's do, not the 7,500 raw windows again for every chart and
                // card (about 5,000 storage requests of whole pages). Reading raw usage is the property tests' subject.
                await f.RollupAsync(_demo.GetProperty("org_id").GetString()!);
                _demoKey = _demo.GetProperty("api_key").GetString();
            }
        }
        finally
        {
            SeedLock.Release();
        }
        _context = await browser.ContextAsync(ContextOptions);
    }

    public async Task DisposeAsync() => await browser.ClosePagesAsync();

    private BrowserNewContextOptions ContextOptions => new()
    {
        BaseURL = f.Http.BaseAddress!.ToString(),
        ViewportSize = Desktop,
        AcceptDownloads = true,
        TimezoneId = "America/Los_Angeles", // the page must work in UTC whatever the browser's zone
    };

    private static Task<IPage> SignInAsync(IBrowserContext context, string key, string path = "/dashboard/") =>
        SignInAsync(context.NewPageAsync(), key, path);

    private static async Task<IPage> SignInAsync(Task<IPage> newPage, string key, string path = "/dashboard/")
    {
        var page = await newPage;
        await page.GotoAsync(path);
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#sign-in-form button[type=submit]");
        await WaitForDataAsync(page);
        return page;
    }

    private static async Task WaitForDataAsync(IPage page) =>
        await page.WaitForSelectorAsync("#status.ready, #status.empty, #status.error", new() { Timeout = 30_000 });

    /// <summary>A card's exact total (what it shows may be rounded, like uptime in hours).</summary>
    private static async Task<long> CardAsync(IPage page, string metric) =>
        long.Parse((await page.GetAttributeAsync($"#cards .card[data-metric={metric}]", "data-value"))!, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The range the page's presets use: whole UTC days ending at today's midnight.</summary>
    private static (string Start, string End) Preset(int days)
    {
        var end = DateTimeOffset.UtcNow.UtcDateTime.Date;
        return (UsageModel.Iso(new DateTimeOffset(end.AddDays(-days), TimeSpan.Zero)), UsageModel.Iso(new DateTimeOffset(end, TimeSpan.Zero)));
    }

    private async Task<List<string>> WorkspacesAsync() =>
        [.. (await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/workspaces", _demoKey!)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()!)];

    private async Task<JsonElement> ApiAsync(string kind, string group, int days, IEnumerable<string> workspaces, string? tier = null)
    {
        var (start, end) = Preset(days);
        var r = await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage?" + UsageClient.QueryString(kind, group, tier, start, end, workspaces), _demoKey!);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
    }

    [Fact]
    public async Task After_sign_in_every_stat_card_equals_the_api_total_for_the_same_filters()
    {
        var page = await SignInAsync(_context, _demoKey!);
        var workspaces = await WorkspacesAsync();

        var traces = await ApiAsync("traces", "workspace", 30, workspaces);
        Assert.Equal(traces.EnumerateArray().Sum(r => r.GetProperty("traces").GetInt64()), await CardAsync(page, "traces"));
        Assert.True(await CardAsync(page, "traces") > 0);

        await page.ClickAsync("#tab-deployments");
        await WaitForDataAsync(page);
        var deployments = await ApiAsync("langsmith_deployments", "workspace", 30, workspaces);
        foreach (var metric in new[] { "nodes_executed", "agent_runs", "agent_uptime_seconds" })
            Assert.Equal(deployments.EnumerateArray().Sum(r => r.GetProperty(metric).GetInt64()), await CardAsync(page, metric));
        Assert.Contains(",", await page.TextContentAsync("#cards .card[data-metric=nodes_executed] .value"), StringComparison.Ordinal);
        Assert.Equal(["Total Nodes Executed", "Total Agent Runs", "Total Agent Uptime (hours)"], await page.Locator("#cards h3").AllTextContentsAsync());
        // Uptime reads in hours, with the exact seconds on hover.
        var uptime = await CardAsync(page, "agent_uptime_seconds");
        Assert.Equal((uptime / 3600.0).ToString("N1", CultureInfo.InvariantCulture) + " h", await page.TextContentAsync("#cards .card[data-metric=agent_uptime_seconds] .value"));
        Assert.Equal(uptime.ToString("N0", CultureInfo.InvariantCulture) + " seconds", await page.GetAttributeAsync("#cards .card[data-metric=agent_uptime_seconds] .value", "title"));
        Assert.Equal(3, await page.Locator("#charts canvas").CountAsync());

        // The uptime card says what it bills: standby minutes, each deployment's replicas counted once.
        var note = page.Locator("#cards .card[data-metric=agent_uptime_seconds] .note[data-note=standby_minutes]");
        var standby = deployments.EnumerateArray().Sum(r => r.GetProperty("standby_minutes").GetInt64());
        Assert.True(standby > 0);
        Assert.Equal(standby.ToString(CultureInfo.InvariantCulture), await note.GetAttributeAsync("data-value"));
        Assert.Equal($"= {standby.ToString("N0", CultureInfo.InvariantCulture)} standby minutes billed, replicas counted once", await note.TextContentAsync());
        Assert.Contains("Standby minutes", await page.Locator("#table thead").TextContentAsync(), StringComparison.Ordinal);
        // Grouped by user each group counts its own windows; the card still shows what the deployments bill.
        await page.SelectOptionAsync("#group", "user");
        await WaitForDataAsync(page);
        Assert.Equal(standby.ToString(CultureInfo.InvariantCulture), await note.GetAttributeAsync("data-value"));
    }

    [Fact]
    public async Task Switching_tabs_changes_the_url_and_keeps_the_filters_and_a_bookmark_reopens_the_same_view()
    {
        var page = await SignInAsync(_context, _demoKey!);
        await page.SelectOptionAsync("#range", "90");
        await WaitForDataAsync(page);
        await page.ClickAsync("#workspaces summary");
        await page.Locator("#workspace-list input").First.UncheckAsync();
        await WaitForDataAsync(page);
        var excluded = await page.Locator("#workspace-list input").First.GetAttributeAsync("value");

        await page.ClickAsync("#tab-deployments");
        await WaitForDataAsync(page);

        Assert.Contains("tab=deployments", page.Url, StringComparison.Ordinal);
        Assert.Contains("range=90", page.Url, StringComparison.Ordinal);
        Assert.Equal("90", await page.InputValueAsync("#range"));
        Assert.False(await page.Locator($"#workspace-list input[value='{excluded}']").IsCheckedAsync());
        Assert.True(await page.Locator("#tier-filter").IsHiddenAsync()); // retention applies to traces only

        await page.ReloadAsync();
        await WaitForDataAsync(page);
        Assert.Equal("true", await page.GetAttributeAsync("#tab-deployments", "aria-selected"));
        Assert.Equal("90", await page.InputValueAsync("#range"));
        Assert.False(await page.Locator($"#workspace-list input[value='{excluded}']").IsCheckedAsync());
        var workspaces = (await WorkspacesAsync()).Where(w => w != excluded);
        var api = await ApiAsync("langsmith_deployments", "workspace", 90, workspaces);
        Assert.Equal(api.EnumerateArray().Sum(r => r.GetProperty("agent_runs").GetInt64()), await CardAsync(page, "agent_runs"));

        // Keyboard: arrow keys move between the tabs.
        await page.FocusAsync("#tab-deployments");
        await page.Keyboard.PressAsync("ArrowLeft");
        await WaitForDataAsync(page);
        Assert.Contains("tab=traces", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_group_by_changes_the_chart_series_to_the_groupings_values()
    {
        var page = await SignInAsync(_context, _demoKey!);
        var workspaces = await WorkspacesAsync();
        async Task<string[]> Series() => await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-traces')).data.datasets.map(d => d.label)");
        static string Label(JsonElement r, string name, string id) =>
            r.GetProperty("dimensions").GetProperty(name).ValueKind == JsonValueKind.String ? r.GetProperty("dimensions").GetProperty(name).GetString()! : r.GetProperty("dimensions").GetProperty(id).GetString()!;

        var byWorkspace = await Series();
        await page.SelectOptionAsync("#group", "project");
        await WaitForDataAsync(page);
        var byProject = await Series();
        await page.SelectOptionAsync("#group", "user");
        await WaitForDataAsync(page);
        var byUser = await Series();

        Assert.Equal((await ApiAsync("traces", "workspace", 30, workspaces)).EnumerateArray().Select(r => Label(r, "workspace_name", "workspace_id")).Distinct().Order(), byWorkspace.Order());
        Assert.Equal((await ApiAsync("traces", "project", 30, workspaces)).EnumerateArray().Select(r => Label(r, "project_name", "project_id")).Distinct().Order(), byProject.Order());
        Assert.Equal((await ApiAsync("traces", "user", 30, workspaces)).EnumerateArray().Select(r => Label(r, "user_email", "user_id")).Distinct().Order(), byUser.Order());
        Assert.NotEqual(byWorkspace.Order(), byProject.Order());
        Assert.Contains("group=user", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_csv_downloads_exactly_the_export_endpoints_answer_for_the_same_filters()
    {
        var page = await SignInAsync(_context, _demoKey!);
        await page.SelectOptionAsync("#group", "project");
        await page.SelectOptionAsync("#tier", "longlived");
        await WaitForDataAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        // Read where Playwright put it (its temporary folder, removed with the context), not saved next to the screenshots.
        var path = (await download.PathAsync())!;

        var (start, end) = Preset(30);
        var expected = await (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage/export?" +
            UsageClient.QueryString("traces", "project", "longlived", start, end, await WorkspacesAsync()), _demoKey!)).Content.ReadAsByteArrayAsync();
        Assert.Equal(expected, await File.ReadAllBytesAsync(path));
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Contains("longlived_by_project", download.SuggestedFilename, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_license_only_deployments_usage_shows_under_the_default_workspace()
    {
        var org = await f.NewOrgAsync();
        var from = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(-2).AddHours(9), TimeSpan.Zero);
        for (int i = 0; i < 3; i++)
            await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(from.AddMinutes(5 * i), from.AddMinutes(5 * i + 5), 10 + i, 30 + i, licenseKey: org.LicenseKey));

        var page = await SignInAsync(_context, org.ApiKey, "/dashboard/?tab=deployments");

        Assert.Equal(10 + 11 + 12, await CardAsync(page, "agent_runs"));
        Assert.Equal(["Default"], await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-agent_runs')).data.datasets.map(d => d.label)"));
        Assert.Contains("Default", await page.TextContentAsync("#table"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_year_view_draws_every_bucket_with_zeros_and_marks_the_partial_last_one()
    {
        var org = await f.NewOrgAsync();
        var today = DateTimeOffset.UtcNow.UtcDateTime.Date;
        foreach (var daysAgo in new[] { 300, 20 })
        {
            var from = new DateTimeOffset(today.AddDays(-daysAgo).AddHours(9), TimeSpan.Zero);
            Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit",
                Payloads.CurrentClientWindow(from, from.AddMinutes(5), 7, 21, licenseKey: org.LicenseKey))).StatusCode);
        }
        var page = await SignInAsync(_context, org.ApiKey, "/dashboard/?tab=deployments&range=365");

        // 365 days at a 30-day stride: 12 whole buckets and a last one of 5 days, every one on the axis.
        var labels = await page.EvaluateAsync<JsonElement>("() => Chart.getChart(document.getElementById('chart-agent_runs')).data.labels");
        Assert.Equal(13, labels.GetArrayLength());
        Assert.Equal(JsonValueKind.String, labels[0].ValueKind);
        Assert.Equal("partial: 5 of 30 days", labels[12][1].GetString());
        var data = await page.EvaluateAsync<double[]>("() => Chart.getChart(document.getElementById('chart-agent_runs')).data.datasets[0].data");
        Assert.Equal(13, data.Length);
        Assert.Equal(2, data.Count(v => v > 0));
        Assert.Equal(14, data.Sum());
        Assert.Contains("13 30-day buckets; the last covers 5 of 30 days", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        // The axis is calendar time: the buckets are 30 days apart, from the range's first day.
        Assert.Equal(today.AddDays(-365).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), labels[0].GetString());
        Assert.Equal(today.AddDays(-365 + 30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), labels[1].GetString());
    }

    [Fact]
    public async Task A_dimension_value_keeps_its_colour_across_ranges_group_by_and_tabs_and_the_table_pages()
    {
        var page = await SignInAsync(_context, _demoKey!);
        async Task<Dictionary<string, string>> ColoursAsync(string chart) =>
            await page.EvaluateAsync<Dictionary<string, string>>($"() => Object.fromEntries(Chart.getChart(document.getElementById('{chart}')).data.datasets.map(d => [d.label, d.borderColor]))");

        var first = await ColoursAsync("chart-traces");
        Assert.True(first.Count >= 2);
        Assert.Equal(first.Count, first.Values.Distinct().Count());
        await page.SelectOptionAsync("#range", "90");
        await WaitForDataAsync(page);
        var wider = await ColoursAsync("chart-traces");
        await page.SelectOptionAsync("#group", "project");
        await WaitForDataAsync(page);
        await page.SelectOptionAsync("#group", "workspace");
        await WaitForDataAsync(page);
        var back = await ColoursAsync("chart-traces");
        await page.ClickAsync("#tab-deployments");
        await WaitForDataAsync(page);
        var deployments = await ColoursAsync("chart-agent_runs");
        foreach (var (label, colour) in first)
        {
            Assert.Equal(colour, wider[label]);
            Assert.Equal(colour, back[label]);
            if (deployments.TryGetValue(label, out var other)) Assert.Equal(colour, other);
        }
        Assert.Contains(first.Keys, deployments.ContainsKey);

        // 90 days by project is more rows than a page: the table says where it is and pages on.
        await page.SelectOptionAsync("#group", "project");
        await WaitForDataAsync(page);
        Assert.True(await page.IsVisibleAsync("#pager"));
        var info = (await page.TextContentAsync("#page-info"))!;
        Assert.StartsWith("Rows 1–25 of ", info, StringComparison.Ordinal);
        Assert.Equal(25, await page.Locator("#table tbody tr").CountAsync());
        await page.ClickAsync("#page-next");
        Assert.StartsWith("Rows 26–", (await page.TextContentAsync("#page-info"))!, StringComparison.Ordinal);
        Assert.True(await page.IsEnabledAsync("#page-prev"));
    }

    [Fact]
    public async Task An_inverted_custom_range_is_refused_with_a_message_and_requests_nothing()
    {
        var page = await SignInAsync(_context, _demoKey!);
        int requests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/billing/granular-usage", StringComparison.Ordinal)) Interlocked.Increment(ref requests); };
        await page.SelectOptionAsync("#range", "custom");
        await WaitForDataAsync(page);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.FillAsync("#from", "2026-11-10");
        await page.Locator("#from").BlurAsync(); // the browser's own change event
        await WaitForDataAsync(page);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        var before = Volatile.Read(ref requests);

        await page.FillAsync("#to", "2026-11-01");
        await page.Locator("#to").BlurAsync();
        await page.WaitForSelectorAsync("#status.error");
        Assert.Contains("The start date 2026-11-10 is after the end date 2026-11-01", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Equal("Custom range: 2026-11-10 to 2026-11-01 (not a valid range)", await page.TextContentAsync("#range-label"));
        await page.ClickAsync("#export");
        await page.WaitForTimeoutAsync(300);
        Assert.Equal(before, Volatile.Read(ref requests));
        Assert.Equal(0, await page.Locator("#cards .card[data-value]").EvaluateAllAsync<int>("cs => cs.filter(c => c.dataset.value !== '0').length"));

        // Impossible days are refused, not rolled over into the next month (2026-02-30 was read as March 2).
        foreach (var (day, message) in new[] { ("2026-02-30", "2026-02-30 is not a day of the calendar"), ("2026-13-01", "2026-13-01 is not a day of the calendar"), ("2026-11-31", "2026-11-31 is not a day of the calendar") })
        {
            await page.FillAsync("#to", day);
            await page.Locator("#to").BlurAsync();
            await page.WaitForFunctionAsync("m => document.getElementById('status').textContent.includes(m)", message);
        }
        await page.FillAsync("#from", "2099-01-01"); // "to" is still the impossible 2026-11-31: nothing is asked
        await page.Locator("#from").BlurAsync();
        await page.FillAsync("#to", "2099-01-02");
        await page.Locator("#to").BlurAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('status').textContent.includes('is in the future')");
        Assert.Equal(before, Volatile.Read(ref requests));
        Assert.Equal("YYYY-MM-DD", await page.GetAttributeAsync("#from", "placeholder"));
        Assert.Equal("favicon.svg", await page.GetAttributeAsync("link[rel=icon]", "href"));
        Assert.Equal(HttpStatusCode.OK, (await f.Http.GetAsync("/dashboard/favicon.svg")).StatusCode);
    }

    /// <summary>
    /// The README's "Calling the API" examples and its statements example, run by bash exactly as written
    /// (only the keys line and the base URL are this demo's), each answer checked.
    /// </summary>
    [Fact]
    public async Task Every_curl_example_in_the_readme_runs_as_written_and_the_dashboard_shows_the_submitted_window()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "README.md"));
        var blocks = System.Text.RegularExpressions.Regex.Matches(readme, "```bash\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).ToList();
        var setupLines = blocks.Single(b => b.StartsWith("KEY=", StringComparison.Ordinal)).Split('\n').ToList();
        Assert.StartsWith("B=http://127.0.0.1:5080", setupLines[1], StringComparison.Ordinal);
        setupLines[0] = $"KEY='{_demo.GetProperty("api_key").GetString()}' LICENSE='{_demo.GetProperty("license_key").GetString()}' OPS='{_demo.GetProperty("operator_key").GetString()}'";
        setupLines[1] = "B=" + f.Http.BaseAddress!.ToString().TrimEnd('/');
        var setup = string.Join('\n', setupLines);
        var section = readme[readme.IndexOf("## Calling the API", StringComparison.Ordinal)..readme.IndexOf("## Semantics", StringComparison.Ordinal)];
        var examples = section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l, "`(curl [^`]*)`").Select(m => m.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)))
            .Append(blocks.Single(b => b.StartsWith("ORG=", StringComparison.Ordinal)))
            .ToList();
        Assert.True(examples.Count >= 14, $"found {examples.Count} examples");

        var workDir = Directory.CreateTempSubdirectory("readme-").FullName;
        async Task<(int Exit, string Stdout, string Stderr)> BashAsync(string script)
        {
            var run = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
            run.ArgumentList.Add("-c");
            run.ArgumentList.Add("set -euo pipefail\n" + script);
            using var process = System.Diagnostics.Process.Start(run)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }
        // The setup block runs once, as written (its five node calls are most of an example's cost), and every
        // example then runs in a shell of its own with the variables it set.
        var names = System.Text.RegularExpressions.Regex.Matches(setup, @"(?m)(?:^|\s)([A-Z]+)=").Select(m => m.Groups[1].Value).Distinct().ToList();
        var variables = await BashAsync(setup + "\ndeclare -p " + string.Join(' ', names));
        Assert.True(variables.Exit == 0, $"the setup block: exit {variables.Exit}: {variables.Stderr}");
        Assert.Contains("declare -- WS=", variables.Stdout, StringComparison.Ordinal);
        var outputs = new Dictionary<string, string>();
        foreach (var example in examples)
        {
            var (exit, stdout, stderr) = await BashAsync(variables.Stdout + "\n" + example);
            Assert.True(exit == 0, $"{example}\nexit {exit}: {stderr}");
            Assert.DoesNotContain("urn:beacon:problem", stdout, StringComparison.Ordinal);
            if (example.Contains(" -i ", StringComparison.Ordinal)) Assert.StartsWith("HTTP/1.1 204", stdout, StringComparison.Ordinal);
            else if (!example.Contains("-OJ", StringComparison.Ordinal)) Assert.False(string.IsNullOrWhiteSpace(stdout), example);
            outputs[example] = stdout;
        }
        string Output(string part) => outputs.Single(o => o.Key.Contains(part, StringComparison.Ordinal)).Value;
        Assert.StartsWith("ey", JsonDocument.Parse(Output("/v1/beacon/verify")).RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, JsonDocument.Parse(Output("ingest-traces")).RootElement.GetProperty("inserted_count").GetInt32());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(Output("granular-usage?kind=langsmith_deployments")).RootElement.GetProperty("usage").ValueKind);
        var statements = Output("operator/adjustments"); // the statement, then the adjustment just recorded
        Assert.StartsWith("{\"month\":", statements, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"Outage credit\",\"recorded_at\"", statements, StringComparison.Ordinal);
        var csv = Assert.Single(Directory.GetFiles(workDir, "*.csv"));
        var csvLines = (await File.ReadAllTextAsync(csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Time Bucket Start,", csvLines[0], StringComparison.Ordinal);
        // The examples read a workspace with usage (Production), so the file has a month of rows with names in them.
        Assert.True(csvLines.Length > 10, $"only {csvLines.Length - 1} rows in the README's CSV example");
        Assert.True(JsonDocument.Parse(Output("granular-usage?kind=langsmith_deployments")).RootElement.GetProperty("usage").GetArrayLength() > 10);

        // The submitted window is yesterday's: the "Last 7 days" preset shows its project.
        var page = await SignInAsync(_context, _demoKey!, "/dashboard/?tab=deployments&range=7&group=project");
        var series = await page.EvaluateAsync<string[]>("() => Chart.getChart(document.getElementById('chart-agent_runs')).data.datasets.map(d => d.label)");
        Assert.Contains("c5b5f53a-4716-4326-8967-d4f7f7799735", series);
    }

    [Theory]
    [InlineData("bcn_op_", "/console/")]
    [InlineData("lcl_", "starts with bcn_ak_")]
    public async Task An_operator_or_license_key_is_pointed_to_where_it_belongs_without_a_request(string prefix, string where)
    {
        var page = await _context.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        var requests = 0;
        page.Request += (_, r) => { if (r.Url.Contains("/api/", StringComparison.Ordinal)) requests++; };
        await page.FillAsync("#api-key", prefix + new string('x', 40));
        await page.ClickAsync("#sign-in-form button[type=submit]");

        await page.WaitForSelectorAsync("#sign-in-error:not([hidden])");
        Assert.Contains(where, await page.TextContentAsync("#sign-in-error"), StringComparison.Ordinal);
        Assert.Equal(0, requests);
        Assert.True(await page.Locator("#usage").IsHiddenAsync());
    }

    [Fact]
    public async Task A_bad_key_shows_an_error_and_no_data()
    {
        var page = await _context.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.FillAsync("#api-key", "bcn_ak_" + new string('x', 40));
        await page.ClickAsync("#sign-in-form button[type=submit]");

        await page.WaitForSelectorAsync("#sign-in-error:not([hidden])");
        Assert.Contains("not accepted", await page.TextContentAsync("#sign-in-error"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#usage").IsHiddenAsync());
        Assert.Equal(0, await page.Locator("#cards .card").CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('beacon.apiKey')"));
    }

    [Fact]
    public async Task Empty_and_error_states_are_shown()
    {
        var page = await SignInAsync(_context, _demoKey!);
        await page.SelectOptionAsync("#range", "custom");
        await page.FillAsync("#from", "2020-01-01");
        await page.FillAsync("#to", "2020-01-31");
        await page.DispatchEventAsync("#to", "change");
        await page.WaitForSelectorAsync("#status.empty");
        Assert.Contains("No usage", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Contains("2020-01-01 to 2020-01-31", await page.TextContentAsync("#range-label"), StringComparison.Ordinal);

        await page.RouteAsync("**/billing/granular-usage?**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503, ContentType = "application/problem+json", Body = "{\"title\":\"Storage is temporarily unavailable.\",\"detail\":\"Nothing was stored. Retry the request later.\"}",
        }));
        await page.SelectOptionAsync("#range", "7");
        await page.WaitForSelectorAsync("#status.error");
        Assert.Contains("Retry the request later", await page.TextContentAsync("#status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Phone_width_has_no_horizontal_scroll_and_screenshots_of_both_tabs_are_written()
    {
        foreach (var (name, size) in new[] { ("desktop", Desktop), ("phone", Phone) })
        {
            var page = await SignInAsync(browser.NewPageAsync(ContextOptions, size), _demoKey!);
            foreach (var tab in new[] { "traces", "deployments" })
            {
                await page.ClickAsync($"#tab-{tab}");
                await WaitForDataAsync(page);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{name} {tab}: the page scrolls sideways by {overflow}px");
                // No value is cut: every cell shows its whole text, and the table needs no sideways scroll.
                var cut = await page.EvaluateAsync<string[]>("""
                    () => [...document.querySelectorAll('#table td, #table th')].filter(c => c.getClientRects().length > 0 && c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)
                    """);
                Assert.True(cut.Length == 0, $"{name} {tab}: cut cells: {string.Join(" | ", cut.Take(5))}");
                var tableOverflow = await page.EvaluateAsync<int>("() => { const w = document.querySelector('#table').parentElement; return w.scrollWidth - w.clientWidth; }");
                Assert.True(tableOverflow <= 1, $"{name} {tab}: the table scrolls sideways by {tableOverflow}px");
                Assert.True(await page.Locator("#table tbody tr").CountAsync() > 0);
                // Every chart's plot area (inside the axes) is tall enough to read, whatever its legend.
                var plots = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#charts canvas')].map(c => Chart.getChart(c).chartArea.height)");
                Assert.NotEmpty(plots);
                Assert.All(plots, h => Assert.True(h >= 160, $"{name} {tab}: a chart's plot area is {h}px tall"));
                var file = Path.Combine(BrowserFixture.Screenshots, $"dashboard-{tab}-{name}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 10_000);
            }
        }
    }
}
