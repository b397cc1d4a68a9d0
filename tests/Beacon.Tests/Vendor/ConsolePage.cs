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
        for (int attempt = 0; ; attempt++)
        {
            await page.Locator("#table tbody tr", new() { HasText = licenseId[..8] }).Locator("button", new() { HasText = "Details" }).ClickAsync();
            await page.WaitForSelectorAsync("#detail[data-ready], #detail-body .error", new() { Timeout = 60_000 });
            var error = page.Locator("#detail-body .error:not([data-part-error])");
            if (await error.CountAsync() == 0) return;
            if (attempt == 1) Assert.Fail("The license detail did not load: " + await error.TextContentAsync());
        }
    }
}
