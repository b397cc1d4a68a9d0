using Microsoft.Playwright;

namespace Beacon.Tests.Dashboard;

/// <summary>
/// Headless Debian Chromium driven by Microsoft.Playwright (no browser download: the system one), and one browser
/// context for the test class that uses this fixture.
/// </summary>
/// <remarks>
/// On the CI machine every process start and every renderer process is expensive (ADR 0019): a Playwright driver
/// and a browser cost seconds of CPU to launch, and a new context about a CPU-second more per page than a new page
/// in a context that already has one. So the classes running at the same time share one driver and browser (the
/// last one to finish closes it), and the tests of a class share a context: each test opens its own pages, which
/// <see cref="ClosePagesAsync"/> closes after it. A page is a tab of its own, so its session storage (where the
/// pages keep the signed-in key) starts empty for every test.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;
    private static int _users;

    private IBrowserContext? _context;
    private BrowserNewContextOptions? _options;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not launched.");

    /// <summary>Screenshots land here (git-ignored): artifacts/screenshots at the repository root.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AzuriteFixture.RepositoryRoot, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"The dashboard tests need Debian's chromium at {Chromium}: apt-get install -y chromium (npm test does it).");
        await Gate.WaitAsync();
        try
        {
            if (_users == 0)
            {
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                });
            }
            _users++;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The class's context, made with <paramref name="options"/> the first time; every test of a class passes the same.</summary>
    public async Task<IBrowserContext> ContextAsync(BrowserNewContextOptions options)
    {
        if (_context is null)
        {
            _context = await Browser.NewContextAsync(options);
            _options = options;
        }
        else if (options.BaseURL != _options!.BaseURL || options.TimezoneId != _options.TimezoneId)
            throw new InvalidOperationException("A test class's tests share one context: pass the same options.");
        return _context;
    }

    /// <summary>A new page of the class's context at <paramref name="size"/> (a page's viewport is its own).</summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions options, ViewportSize size)
    {
        var page = await (await ContextAsync(options)).NewPageAsync();
        await page.SetViewportSizeAsync(size.Width, size.Height);
        return page;
    }

    /// <summary>Closes every page the last test opened, so that the next one starts with none.</summary>
    public async Task ClosePagesAsync()
    {
        if (_context is null) return;
        foreach (var page in _context.Pages.ToList()) await page.CloseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.DisposeAsync();
        await Gate.WaitAsync();
        try
        {
            if (--_users > 0) return;
            if (_browser is not null) await _browser.DisposeAsync();
            _playwright?.Dispose();
            (_browser, _playwright) = (null, null);
        }
        finally
        {
            Gate.Release();
        }
    }
}
