using System.Net;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;
using Beacon.Tests.Dashboard;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Beacon.Tests.Statements;

/// <summary>The console's Statements tab and quota bars in headless Chromium (SPEC §13).</summary>
[Collection(LedgerCollection.Name)]
[Trait("Tier", "Slow")] // Chromium
public sealed class StatementConsoleTests(NoFleetWriterFixture f, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private Month Back(int months) => StatementDataset.MonthsBack(f, months);

    private static async Task WaitReadyAsync(IPage page, Func<Task> action)
    {
        await page.EvaluateAsync("() => document.getElementById('status').className = 'status'");
        await action();
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 30_000 });
    }

    [Fact]
    public async Task The_statements_tab_shows_a_closed_month_the_adjustments_on_the_next_and_exports_the_apis_csv()
    {
        var key = await Operators.NewKeyAsync(f, "console-statements");
        var closed = Back(21);
        var data = await StatementDataset.CreateAsync(f, closed);
        await data.AddUsageAsync(new Random(61), windows: 8, traceBatches: 1);
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{closed}/close", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key,
            new { org_id = data.Org.OrgId, license_id = data.Org.LicenseId, metric = "agent_runs", delta = -25, for_month = closed.ToString(), reason = "Outage credit" })).StatusCode);

        // A license with quotas, most of its runs quota used this month.
        var (quotaKey, quotaLicense) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(data.Org.OrgId, "growth", null, [],
            [new Quota("agent_runs", 100), new Quota("traces", 1000)]);
        var now = f.Clock.GetUtcNow();
        var monthStart = new DateTimeOffset(Month.Of(now).FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(monthStart, monthStart, 85, 100, licenseKey: quotaKey))).StatusCode);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = f.Http.BaseAddress!.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/");
        await page.FillAsync("#operator-key", key);
        await WaitReadyAsync(page, () => page.ClickAsync("#sign-in-form button[type=submit]"));

        await WaitReadyAsync(page, () => page.ClickAsync("#tab-statements"));
        await WaitReadyAsync(page, () => page.FillAsync("#statement-month", closed.ToString()));
        Assert.Contains("is closed", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        Assert.Equal("closed", await page.Locator("#summary .card").First.GetAttributeAsync("data-state"));
        Assert.True(await page.Locator($"#table tbody tr[data-org='{data.Org.OrgId}']").CountAsync() >= 2);
        Assert.False(await page.IsVisibleAsync("#statement-close"));

        await WaitReadyAsync(page, () => page.FillAsync("#statement-month", closed.Next.ToString()));
        Assert.Contains("is open", await page.TextContentAsync("#status"), StringComparison.Ordinal);
        var adjustment = page.Locator($"#extra tr.adjustment[data-org='{data.Org.OrgId}']");
        Assert.Equal(1, await adjustment.CountAsync());
        var text = (await adjustment.TextContentAsync())!;
        foreach (var expected in new[] { closed.ToString(), "agent_runs", "-25", "Outage credit", "console-statements" })
            Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.True(await page.IsVisibleAsync("#statement-close"));
        // The billed total on the card is the lines plus the adjustments (the −25 outage credit included), and says so.
        var statement = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={closed.Next}", key);
        long lines = statement.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("agent_runs").GetInt64());
        long adjusted = statement.GetProperty("adjustments").EnumerateArray().Where(a => a.GetProperty("metric").GetString() == "agent_runs").Sum(a => a.GetProperty("delta").GetInt64());
        Assert.True(adjusted <= -25, $"adjustments {adjusted}");
        var runsCard = page.Locator("#summary .card[data-meter=agent_runs]");
        Assert.Contains("lines + adjustments", await runsCard.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal((lines + adjusted).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), await runsCard.Locator(".value").TextContentAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, "console-statements-desktop.png"), FullPage = true });

        // The export is byte for byte the API's CSV of the same month.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#statement-export"));
        Assert.Equal($"beacon_statement_{closed.Next}.csv", download.SuggestedFilename);
        var fromPage = await File.ReadAllBytesAsync((await download.PathAsync())!);
        var fromApi = await (await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/statements?month={closed.Next}&format=csv", key)).Content.ReadAsByteArrayAsync();
        Assert.Equal(fromApi, fromPage);
        Assert.Contains("Outage credit", System.Text.Encoding.UTF8.GetString(fromPage), StringComparison.Ordinal);

        // The license's quota bars: 85 of 100 runs is a warning; traces are fine.
        await WaitReadyAsync(page, () => page.ClickAsync("#tab-licenses"));
        await page.FillAsync("#org-filter", quotaLicense.OrgId); // the Licenses tab pages the whole fleet; the filter finds the org
        await WaitReadyAsync(page, () => page.PressAsync("#org-filter", "Enter"));
        await Vendor.ConsolePage.OpenDetailAsync(page, quotaLicense.LicenseId);
        var runs = page.Locator(".quota[data-metric=agent_runs]");
        Assert.Equal("warning", await runs.GetAttributeAsync("data-state"));
        Assert.Contains("85 of 100 (85%)", await runs.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await page.Locator(".quota[data-metric=traces]").GetAttributeAsync("data-state"));
        Assert.Equal("85", await runs.Locator("[role=meter]").GetAttributeAsync("aria-valuenow"));
        var filled = await runs.Locator(".quota-bar span").EvaluateAsync<double>("s => s.getBoundingClientRect().width / s.parentElement.getBoundingClientRect().width");
        Assert.InRange(filled, 0.84, 0.86);
    }
}
