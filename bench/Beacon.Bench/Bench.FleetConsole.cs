using System.Diagnostics;
using Microsoft.Playwright;

namespace Beacon.Bench;

internal sealed partial class Bench
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>
    /// SPEC §15's last fleet figure: the console's Fleet tab opened in headless Chromium over the fleet as it
    /// stands, from navigation to the first page drawn (<c>#status.ready</c>), with a screenshot. Skipped, and
    /// said so, on a machine without Debian's chromium.
    /// </summary>
    private async Task<object> RenderFleetTabAsync(Uri baseAddress, string operatorKey, string screenshot)
    {
        if (!File.Exists(Chromium)) return new { skipped = $"no {Chromium} (apt-get install -y chromium)" };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync("/console/");
        await page.FillAsync("#operator-key", operatorKey);
        var watch = Stopwatch.StartNew();
        await page.ClickAsync("#sign-in-form button[type=submit]");
        await page.WaitForSelectorAsync("#status.ready", new() { Timeout = 60_000 });
        var ms = watch.Elapsed.TotalMilliseconds;
        int rows = await page.Locator("#table tbody tr").CountAsync();
        var label = await page.TextContentAsync("#page-label");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        log($"fleet: the console's Fleet tab drew {rows} rows in {ms:F0} ms ({label}); screenshot {screenshot}");
        return new { ms = Math.Round(ms), rows, pager = label, screenshot };
    }
}
