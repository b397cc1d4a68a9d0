using Microsoft.Playwright;

namespace Beacon.Tests.Dashboard;

/// <summary>Headless Debian Chromium driven by Microsoft.Playwright (no browser download: the system one).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots land here (git-ignored): artifacts/screenshots at the repository root.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AzuriteFixture.RepositoryRoot, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"The dashboard tests need Debian's chromium at {Chromium}: apt-get install -y chromium (npm test does it).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
