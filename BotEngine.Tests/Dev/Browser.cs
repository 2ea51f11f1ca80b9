using Microsoft.Playwright;

namespace BotEngine.Tests.Dev;

/// <summary>Playwright on Debian's Chromium, headless and offline: never `playwright install`, never a download.</summary>
internal sealed class Browser : IAsyncDisposable
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = Flags,
        });
        return new Browser(playwright, browser);
    }

    public Task<IPage> NewPageAsync() =>
        _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 720 } });

    /// <summary>Where a test keeps a picture for the README: <c>docs/</c> at the repository root.</summary>
    public static string DocsPath(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BotEngine.sln")))
        {
            dir = dir.Parent;
        }

        var docs = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("no BotEngine.sln above the tests"), "docs");
        Directory.CreateDirectory(docs);
        return Path.Combine(docs, file);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
