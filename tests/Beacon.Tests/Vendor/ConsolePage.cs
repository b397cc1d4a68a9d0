using Microsoft.Playwright;

namespace Beacon.Tests.Vendor;

/// <summary>Steps of the vendor console that several Chromium tests take.</summary>
internal static class ConsolePage
{
    /// <summary>
    /// Opens a license's detail from the licenses table. A detail that did not load shows the console's own
    /// message: the test fails with it. One retry, as an operator would click again: under a loaded CI machine
    /// a request can meet the storage deadline (503), which is the console's documented answer, not a bug.
    /// </summary>
    public static async Task OpenDetailAsync(IPage page, string licenseId)
    {
        // What the page reported while the detail loaded, for a detail that never shows (seen once in a CI run:
        // neither ready nor an error after 60 s).
        var reported = new System.Collections.Concurrent.ConcurrentQueue<string>();
        void OnPageError(object? _, string error) => reported.Enqueue("uncaught: " + error);
        void OnConsole(object? _, IConsoleMessage message)
        {
            if (message.Type is "error" or "warning") reported.Enqueue($"console {message.Type}: {message.Text}");
        }
        page.PageError += OnPageError;
        page.Console += OnConsole;
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                await page.Locator("#table tbody tr", new() { HasText = licenseId[..8] }).Locator("button", new() { HasText = "Details" }).ClickAsync();
                try
                {
                    await page.WaitForSelectorAsync("#detail[data-ready], #detail-body .error", new() { Timeout = 60_000 });
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"The license detail neither loaded nor showed an error in 60 s. Hidden: {await page.IsHiddenAsync("#detail")}; " +
                                $"title: {await page.TextContentAsync("#detail-title")}; body: {await page.TextContentAsync("#detail-body")}; " +
                                $"status: {await page.TextContentAsync("#status")}; the page reported: [{string.Join(" | ", reported)}]");
                }
                var broken = page.Locator("#detail-body .error[data-render-error]");
                if (await broken.CountAsync() > 0)
                    Assert.Fail($"The console could not draw the license detail: {await broken.TextContentAsync()}; the page reported: [{string.Join(" | ", reported)}]");
                var error = page.Locator("#detail-body .error:not([data-part-error])");
                if (await error.CountAsync() == 0) return;
                if (attempt == 1) Assert.Fail("The license detail did not load: " + await error.TextContentAsync());
            }
        }
        finally
        {
            page.PageError -= OnPageError;
            page.Console -= OnConsole;
        }
    }
}
