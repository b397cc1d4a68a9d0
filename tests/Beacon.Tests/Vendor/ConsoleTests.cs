using System.Net;
using Beacon.Storage.Stores;
using Beacon.Tests.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Beacon.Tests.Vendor;

/// <summary>The vendor console in headless Chromium (SPEC §12): sign in, the fleet, a license's detail, an action.</summary>
[Collection(FleetCollection.Name)]
[Trait("Tier", "Slow")] // Chromium
public sealed class ConsoleTests(BeaconFixture f, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.ClosePagesAsync();

    /// <summary>A new page, at <paramref name="width"/> by <paramref name="height"/>, of the class's browser context.</summary>
    private Task<IPage> NewPageAsync(int width, int height) => browser.NewPageAsync(new BrowserNewContextOptions
    {
        BaseURL = f.Http.BaseAddress!.ToString(),
        TimezoneId = "America/Los_Angeles",
    }, new ViewportSize { Width = width, Height = height });

    private static async Task<IPage> SignInAsync(Task<IPage> newPage, string key, string path = "/console/")
    {
        var page = await newPage;
        await page.GotoAsync(path);
        await page.FillAsync("#operator-key", key);
        await page.ClickAsync("#sign-in-form button[type=submit]");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        return page;
    }

    private static async Task SelectOrgAsync(IPage page, string orgId)
    {
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.FillAsync("#org-filter", orgId);
        await page.PressAsync("#org-filter", "Enter");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task The_fleet_tab_pages_through_an_orgs_deployments_forward_and_back()
    {
        var key = await Operators.NewKeyAsync(f, "console-pager");
        var org = await f.NewOrgAsync();
        var t = f.Clock.GetUtcNow().AddMinutes(-5);
        var projects = Enumerable.Range(0, 5).Select(i => $"pager-{i}").ToList();
        foreach (var p in projects) await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 1, org.WorkspaceA, p);
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 5);

        var page = await SignInAsync(NewPageAsync(1280, 900), key, "/console/?limit=2");
        await SelectOrgAsync(page, org.OrgId);
        var shown = new List<string>();
        async Task<List<string>> RowsAsync() =>
            [.. (await page.Locator("#table tbody tr td:nth-child(3)").AllTextContentsAsync())];
        Assert.Equal("5", await page.Locator("#summary .card .value").First.TextContentAsync());
        Assert.True(await page.Locator("#page-prev").IsDisabledAsync());
        for (int p = 1; p <= 3; p++)
        {
            Assert.Contains($"Page {p}", await page.Locator("#page-label").TextContentAsync(), StringComparison.Ordinal);
            var rows = await RowsAsync();
            Assert.Equal(p < 3 ? 2 : 1, rows.Count);
            shown.AddRange(rows);
            if (p == 3) break;
            await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
            await page.ClickAsync("#page-next");
            await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        }
        Assert.True(await page.Locator("#page-next").IsDisabledAsync());
        Assert.Equal(projects, shown.Order(StringComparer.Ordinal));

        // Back one page shows the second page again.
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#page-prev");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        Assert.Equal(shown.Skip(2).Take(2), await RowsAsync());
    }

    [Fact]
    public async Task An_operator_sees_the_silent_deployment_first_reads_a_license_and_suspends_it()
    {
        var key = await Operators.NewKeyAsync(f, "console-operator");
        var org = await f.NewOrgAsync();
        var directory = f.Services.GetRequiredService<DirectoryStore>();
        string silent = Guid.NewGuid().ToString(), live = Guid.NewGuid().ToString();
        await directory.NameProjectAsync(org.OrgId, silent, "Silent Agent");
        await directory.NameProjectAsync(org.OrgId, live, "Live Agent");

        var t = f.Clock.GetUtcNow().AddMinutes(-20);
        await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 12, org.WorkspaceA, silent);
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1);
        using var elevenMinutesLater = f.Clock.ShiftFor(TimeSpan.FromSeconds(661));
        t = f.Clock.GetUtcNow().AddMinutes(-10);
        await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 30, org.WorkspaceB, live);
        await Operators.SubmitAsync(f, org.LicenseKey, t.AddMinutes(5), t.AddMinutes(10), 31, org.WorkspaceB, live);
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 2 && l.Any(d => d.GetProperty("runs_24h").GetInt64() == 61));
        // The listing puts silent deployments first once the sweep has moved them (within 20 s of 660 s).
        using var settled = f.Clock.ShiftFor(TimeSpan.FromSeconds(20));
        await Operators.EventuallyAsync(() => Operators.GetJsonAsync(f.Http, $"/api/v1/operator/deployments?org_id={org.OrgId}&state=silent", key),
            p => p.GetProperty("deployments").GetArrayLength() == 1, seconds: 120); // behind every earlier test's deployments, silent too
        for (int i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await f.PostAsync("/v1/beacon/verify", new { license = org.LicenseKey })).StatusCode);
        long nanos = f.Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        await Operators.PostOtlpJsonAsync(f, org.LicenseKey, "metrics",
            $$$"""{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"pod-7"}}]},"scopeMetrics":[{"metrics":[{"name":"lg_api_workers_available","gauge":{"dataPoints":[{"asInt":"4","timeUnixNano":"{{{nanos}}}"}]}}]}]}]}""");
        await Operators.PostOtlpJsonAsync(f, org.LicenseKey, "logs",
            $$$"""{"resourceLogs":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"pod-7"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{{nanos}}}","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"postgres connection refused"}}]}]}]}""");

        // ?limit=1000: the audit tab below looks for this test's record, and tests elsewhere write records dated ahead of it.
        var page = await SignInAsync(NewPageAsync(1280, 900), key, "/console/?limit=1000");
        await SelectOrgAsync(page, org.OrgId);
        var rows = page.Locator("#table tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal("silent", await rows.Nth(0).GetAttributeAsync("data-state"));
        Assert.Contains("Silent Agent", await rows.Nth(0).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("silent", await rows.Nth(0).Locator(".badge").TextContentAsync());
        Assert.Equal("reporting", await rows.Nth(1).GetAttributeAsync("data-state"));
        Assert.Contains("Live Agent", await rows.Nth(1).TextContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "console-fleet-desktop.png"), FullPage = true });

        // The license's detail: its deployments, verifications, latest metrics and error logs.
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready");
        var listOverflow = await page.EvaluateAsync<int>("() => { const w = document.querySelector('#table').parentElement; return w.scrollWidth - w.clientWidth; }");
        Assert.True(listOverflow <= 0, $"the Licenses table is {listOverflow} px wider than its box at 1,280 px");
        await ConsolePage.OpenDetailAsync(page, org.LicenseId);
        var detail = (await page.TextContentAsync("#detail"))!;
        foreach (var expected in new[] { "Silent Agent", "Live Agent", "2 verified, 0 refused", "lg_api_workers_available", "pod-7", "postgres connection refused" })
            Assert.Contains(expected, detail, StringComparison.Ordinal);
        // At 1,280 px every column of the detail's deployments table is in view, none scrolled out to the right.
        var overflow = await page.EvaluateAsync<int>("() => { const w = document.querySelector('#detail .table-wrap'); return w.scrollWidth - w.clientWidth; }");
        Assert.True(overflow <= 0, $"the detail's deployments table is {overflow} px wider than its box at 1,280 px");
        // This month's usage by meter, and standby minutes per deployment, as the operator API computes them.
        var usage = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{org.LicenseId}/usage", key);
        var standby = usage.GetProperty("meters").GetProperty("standby_minutes").GetInt64();
        Assert.True(standby >= 15, $"standby {standby}");
        Assert.Equal(standby.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync("#license-usage dd[data-meter=standby_minutes]"));
        var perDeployment = await page.Locator("#detail td[data-standby]").AllTextContentsAsync();
        Assert.Equal(usage.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("meters").GetProperty("standby_minutes").GetInt64()).Order(),
            perDeployment.Select(t => long.Parse(t, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)).Order());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "console-license-desktop.png"), FullPage = true });

        // Suspend from the page: /v1/beacon/verify refuses the license within 60 s.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#detail-actions [data-action=suspend]");
        await page.WaitForSelectorAsync("#detail-actions [data-action=activate]", new() { Timeout = 30_000 });
        var status = await Operators.EventuallyAsync(async () => (await f.PostAsync("/v1/beacon/verify", new { license = org.LicenseKey })).StatusCode,
            s => s == HttpStatusCode.Forbidden, 60);
        Assert.Equal(HttpStatusCode.Forbidden, status);

        await page.ClickAsync("#tab-audit");
        await page.WaitForSelectorAsync("#status.ready");
        var audit = page.Locator("#table tbody tr", new() { HasText = "license:" + org.LicenseId });
        Assert.Contains("console-operator", await audit.First.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("license.suspend", await audit.First.TextContentAsync(), StringComparison.Ordinal);

        var small = await SignInAsync(NewPageAsync(390, 844), key);
        await SelectOrgAsync(small, org.OrgId);
        Assert.Equal("silent", await small.Locator("#table tbody tr").First.GetAttributeAsync("data-state"));
        // Readable at phone width: the page does not scroll sideways, and no cell of any tab's table is cut.
        async Task AssertNothingCutAsync(string tab)
        {
            Assert.True(await small.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{tab}: the page scrolls sideways");
            var cut = await small.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('#table td, #table th')].filter(c => c.getClientRects().length > 0 && c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)
                """);
            Assert.True(cut.Length == 0, $"{tab}: cut cells: {string.Join(" | ", cut.Take(5))}");
            Assert.True(await small.EvaluateAsync<int>("() => { const w = document.querySelector('#table').parentElement; return w.scrollWidth - w.clientWidth; }") <= 1, $"{tab}: the table scrolls sideways");
            Assert.True(await small.Locator("#table tbody tr").CountAsync() > 0, $"{tab}: no rows");
        }
        await AssertNothingCutAsync("fleet");
        await small.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "console-fleet-phone.png"), FullPage = true });
        foreach (var tab in new[] { "licenses", "audit" })
        {
            await small.EvaluateAsync("() => document.getElementById('status').className = 'status'");
            await small.ClickAsync($"#tab-{tab}");
            await small.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
            await AssertNothingCutAsync(tab);
        }
    }

    [Fact]
    public async Task A_part_of_a_license_that_fails_to_load_says_so_in_its_place_and_the_rest_shows()
    {
        var key = await Operators.NewKeyAsync(f, "console-partial");
        var org = await f.NewOrgAsync();
        var now = f.Clock.GetUtcNow();
        await Operators.SubmitAsync(f, org.LicenseKey, now.AddMinutes(-10), now.AddMinutes(-5), 7, org.WorkspaceA, "p-partial");
        var page = await SignInAsync(NewPageAsync(1280, 900), key);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await SelectOrgAsync(page, org.OrgId);
        // The telemetry read meets the storage deadline, as it can on a busy day.
        await page.RouteAsync("**/api/v1/operator/telemetry?*", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 503, ContentType = "application/problem+json", Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
            Body = """{"type":"about:blank","title":"Storage is unavailable.","status":503,"detail":"Storage did not answer in time; try again shortly."}""",
        }));
        await ConsolePage.OpenDetailAsync(page, org.LicenseId);

        var failed = page.Locator("#detail-body [data-part-error]");
        Assert.Equal(1, await failed.CountAsync());
        Assert.Equal("Could not load the telemetry: Storage did not answer in time; try again shortly.", await failed.TextContentAsync());
        // Everything else is there: the license's state, its usage as billed, its deployments, snapshots and actions.
        Assert.Equal("7", await page.TextContentAsync("#license-usage dd[data-meter=agent_runs]"));
        var text = await page.TextContentAsync("#detail-body") ?? "";
        foreach (var heading in new[] { "Verifications (last 30 days)", "Deployments", "Usage snapshots", "Self-reported usage" })
            Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#detail-actions [data-action=suspend]").CountAsync());
    }

    [Fact]
    public async Task A_license_detail_that_cannot_be_drawn_says_so_instead_of_loading_forever()
    {
        var key = await Operators.NewKeyAsync(f, "console-undrawable");
        var org = await f.NewOrgAsync();
        var page = await SignInAsync(NewPageAsync(1280, 900), key);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await SelectOrgAsync(page, org.OrgId);
        // A license answer the page cannot draw (no fields at all), as a proxy or a half-deployed server might send.
        await page.RouteAsync($"**/api/v1/operator/licenses/{org.LicenseId}", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "application/json", Body = "{}",
        }));
        await page.Locator("#table tbody tr", new() { HasText = org.LicenseId[..8] }).Locator("button", new() { HasText = "Details" }).ClickAsync();

        var broken = page.Locator("#detail-body .error[data-render-error]");
        await broken.WaitForAsync(new() { Timeout = 30_000 });
        Assert.StartsWith("The license could not be shown: ", await broken.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("alert", await broken.GetAttributeAsync("role"));
        Assert.Null(await page.GetAttributeAsync("#detail", "data-ready"));
    }

    [Fact]
    public async Task A_licenses_error_logs_show_a_page_at_a_time_and_show_more_appends_the_next()
    {
        var key = await Operators.NewKeyAsync(f, "console-more-logs");
        var org = await f.NewOrgAsync();
        long nanos = f.Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        var records = string.Join(',', Enumerable.Range(0, 130).Select(i =>
            $$$"""{"timeUnixNano":"{{{nanos - i * 1_000_000_000L}}}","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"failure {{{i}}}"}}"""));
        await Operators.PostOtlpJsonAsync(f, org.LicenseKey, "logs", $$$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{{{records}}}]}]}]}""");
        var page = await SignInAsync(NewPageAsync(1280, 900), key);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await SelectOrgAsync(page, org.OrgId);
        await ConsolePage.OpenDetailAsync(page, org.LicenseId);

        var rows = page.Locator("#detail-body td.log");
        Assert.Equal(100, await rows.CountAsync());
        await page.ClickAsync("#detail-body [data-more=logs]");
        await page.WaitForSelectorAsync("#detail-body [data-more=logs]", new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
        Assert.Equal(130, await rows.CountAsync());
        // Newest first, each once: the last row is the oldest record.
        Assert.Equal("failure 129", await rows.Last.TextContentAsync());
        Assert.Equal(130, (await rows.AllTextContentsAsync()).Distinct().Count());
    }

    [Fact]
    public async Task An_impossible_expiry_day_is_refused_without_a_request_and_an_offline_key_is_shown_once()
    {
        var key = await Operators.NewKeyAsync(f, "console-offline");
        var org = await f.NewOrgAsync();
        var page = await SignInAsync(NewPageAsync(1280, 900), key);
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'"); // so the wait below is for this tab
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await SelectOrgAsync(page, org.OrgId);
        await ConsolePage.OpenDetailAsync(page, org.LicenseId);
        var posts = new List<string>();
        page.Request += (_, r) => { if (r.Method == "POST") posts.Add(r.Url); };

        // Days are typed as the API writes them; one that is not on the calendar never leaves the page.
        foreach (var bad in new[] { "2027-02-30", "12/31/2027", "2027-13-01" })
        {
            await page.FillAsync("#extend-until", bad);
            await page.ClickAsync("#detail-actions [data-action=extend]");
            var error = page.Locator("#detail-actions .error");
            await error.WaitForAsync();
            Assert.Equal(1, await error.CountAsync()); // the previous message is replaced, not stacked
            Assert.Contains("YYYY-MM-DD", await error.TextContentAsync() ?? "", StringComparison.Ordinal);
        }
        Assert.Empty(posts);

        var day = f.Clock.GetUtcNow().AddDays(200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#extend-until", day);
        await page.ClickAsync("#detail-actions [data-action=offline-key]");
        await page.WaitForSelectorAsync("#detail-actions .offline-key textarea", new() { Timeout = 30_000 });
        var offlineKey = await page.InputValueAsync("#detail-actions .offline-key textarea");
        Assert.Equal(3, offlineKey.Split('.').Length);
        Assert.Contains($"valid until {day}T23:59:59", await page.TextContentAsync("#detail-actions .offline-key") ?? "", StringComparison.Ordinal);
        Assert.Single(posts, u => u.EndsWith($"/api/v1/operator/licenses/{org.LicenseId}/offline-key", StringComparison.Ordinal));
        var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=50", key)).GetProperty("records").EnumerateArray()
            .Single(r => r.GetProperty("action").GetString() == "license.offline_key" && r.GetProperty("target").GetString() == "license:" + org.LicenseId);
        Assert.Equal("console-offline", audit.GetProperty("actor").GetString());
        Assert.DoesNotContain(offlineKey.Split('.')[2], audit.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tab_opens_its_table_at_the_first_column_whatever_the_previous_tab_was_scrolled_to()
    {
        var key = await Operators.NewKeyAsync(f, "console-scroll");
        var org = await f.NewOrgAsync();
        var t = f.Clock.GetUtcNow().AddMinutes(-5);
        await Operators.SubmitAsync(f, org.LicenseKey, t, t.AddMinutes(5), 1, org.WorkspaceA, "scrolled");
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1);
        // Wider than a phone: the table keeps its columns and scrolls in its box.
        var page = await SignInAsync(NewPageAsync(700, 900), key);
        await SelectOrgAsync(page, org.OrgId);
        const string Wrap = "document.querySelector('#table').parentElement";
        Assert.True(await page.EvaluateAsync<bool>($"() => {Wrap}.scrollWidth > {Wrap}.clientWidth"), "the fleet table fits at 700 px: nothing to scroll");
        Assert.True(await page.EvaluateAsync<int>($"() => {{ {Wrap}.scrollLeft = 400; return {Wrap}.scrollLeft; }}") > 0);

        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>($"() => {Wrap}.scrollWidth > {Wrap}.clientWidth + 400"), "the licenses table is wide enough to have kept the scroll");
        Assert.Equal(0, await page.EvaluateAsync<int>($"() => {Wrap}.scrollLeft"));
    }
    [Fact]
    public async Task A_usage_file_uploaded_on_a_license_shows_its_receipt_and_a_bad_one_lists_every_bad_row()
    {
        var key = await Operators.NewKeyAsync(f, "console-reports");
        var org = await f.NewOrgAsync();
        var day = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime).AddDays(-2);
        var good = Reports.SelfReportedBillingTests.File((day, "p-1", 30, 12, 3601), (day.AddDays(1), "p-2", 3, 2, 60));
        var bad = Reports.SelfReportedBillingTests.File((day, "p-1", 30, 12, 3601), (day.AddDays(400), "p-2", 3, 2, 60), (day, "p-3", -1, 2, 60));
        var folder = Directory.CreateTempSubdirectory("beacon-report-");
        try
        {
            var goodFile = Path.Combine(folder.FullName, "usage.csv");
            var badFile = Path.Combine(folder.FullName, "bad.csv");
            await File.WriteAllBytesAsync(goodFile, good);
            await File.WriteAllBytesAsync(badFile, bad);
            var page = await SignInAsync(NewPageAsync(1280, 900), key);
            await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
            await page.ClickAsync("#tab-licenses");
            await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
            await SelectOrgAsync(page, org.OrgId);
            await ConsolePage.OpenDetailAsync(page, org.LicenseId);
            Assert.Equal("No usage reported by hand.", await page.TextContentAsync("#no-reports"));

            // A bad file: every bad row is listed, and nothing is recorded.
            await page.SetInputFilesAsync("#report-file", badFile);
            await page.ClickAsync("[data-action=upload-report]");
            await page.WaitForSelectorAsync("#report-result .error li", new() { Timeout = 30_000 });
            var problems = await page.Locator("#report-result .error li").AllTextContentsAsync();
            Assert.Equal(["row 2", "row 3"], problems.Select(p => p[..5]));
            Assert.Contains("Nothing was recorded", await page.TextContentAsync("#report-result") ?? "", StringComparison.Ordinal);

            // The good file: its receipt, and the report in the list; the same file again changes nothing.
            await page.FillAsync("#report-by", "billing@customer.example");
            await page.SetInputFilesAsync("#report-file", goodFile);
            await page.ClickAsync("[data-action=upload-report]");
            await page.WaitForSelectorAsync("#report-result .receipt textarea", new() { Timeout = 30_000 });
            var receipt = await page.InputValueAsync("#report-result .receipt textarea");
            Assert.Equal(3, receipt.Split('.').Length);
            Assert.Contains($"sha256 {Reports.ReportClient.Sha256(good)}", await page.TextContentAsync("#report-result") ?? "", StringComparison.Ordinal);
            var row = page.Locator("tr[data-report]");
            Assert.Equal(1, await row.CountAsync());
            Assert.Contains("billing@customer.example", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
            Assert.Contains("agent runs 14", await row.TextContentAsync() ?? "", StringComparison.Ordinal);

            await page.ClickAsync("[data-action=upload-report]");
            await page.WaitForSelectorAsync("#report-result .receipt", new() { Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => document.querySelector('#report-result').textContent.includes('nothing changed')");
            Assert.Equal(1, await row.CountAsync());
            var (payload, error) = await Reports.ReportClient.VerifyReceiptAsync(f, receipt, good);
            Assert.True(payload is not null, error);
            Assert.Equal(14, payload.Value.GetProperty("totals").GetProperty("agent_runs").GetInt64());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_webhook_added_in_the_console_receives_a_suspension_made_in_the_console_and_its_deliveries_are_listed()
    {
        var key = await Operators.NewKeyAsync(f, "console-webhooks");
        var org = await f.NewOrgAsync();
        await using var receiver = await Alerts.WebhookReceiver.StartAsync();
        await receiver.ClockAsync(f.Clock.GetUtcNow());
        var page = await SignInAsync(NewPageAsync(1280, 900), key);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-webhooks");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await page.FillAsync("#webhook-url", receiver.Url("console"));
        await page.FillAsync("#webhook-description", "Pager");
        await page.CheckAsync("fieldset.events input[value='license.suspended']");
        await page.ClickAsync("#extra button:text('Add')");
        await page.WaitForSelectorAsync("#webhook-secret textarea", new() { Timeout = 30_000 });
        var secret = await page.InputValueAsync("#webhook-secret textarea");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await receiver.SecretAsync("console", secret);
        var row = page.Locator("#table tr[data-webhook]", new() { HasText = "Pager" });
        Assert.Contains("license.suspended", await row.TextContentAsync() ?? "", StringComparison.Ordinal);
        var webhookId = await row.GetAttributeAsync("data-webhook");

        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-licenses");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        await SelectOrgAsync(page, org.OrgId);
        await ConsolePage.OpenDetailAsync(page, org.LicenseId);
        await page.ClickAsync("#detail-actions [data-action=suspend]");
        await page.WaitForSelectorAsync("#detail-actions [data-action=activate]", new() { Timeout = 30_000 });

        await f.Services.GetRequiredService<Beacon.Alerts.AlertsRun>().RunAsync();
        var request = Assert.Single(receiver.Requests("/hook/console"));
        Assert.True(request.GetProperty("verified").GetBoolean(), request.ToString());
        Assert.Equal("license.suspended", request.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal(org.LicenseId, request.GetProperty("event").GetProperty("data").GetProperty("license_id").GetString());

        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await page.ClickAsync("#tab-webhooks");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
        Assert.False(await page.IsVisibleAsync("#detail"), "the license's detail stayed open on the Webhooks tab");
        var webhooksOverflow = await page.EvaluateAsync<int>("() => { const w = document.querySelector('#table').parentElement; return w.scrollWidth - w.clientWidth; }");
        Assert.True(webhooksOverflow <= 0, $"the Webhooks table is {webhooksOverflow} px wider than its box at 1,280 px");
        await page.Locator($"#table tr[data-webhook='{webhookId}'] button", new() { HasText = "Deliveries" }).ClickAsync();
        await page.WaitForSelectorAsync("#deliveries tr[data-delivery]", new() { Timeout = 30_000 });
        var delivery = await page.TextContentAsync("#deliveries tr[data-delivery]") ?? "";
        Assert.Contains("license.suspended", delivery, StringComparison.Ordinal);
        Assert.Contains("200", delivery, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "console-webhooks-desktop.png"), FullPage = true });
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal); // gone once the tab is shown again
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{webhookId}", key);
    }
}
