using Microsoft.Playwright;

namespace BotEngine.Tests.Support;

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

    public Task<IPage> NewPageAsync(int width = 1200, int height = 720) =>
        _browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });

    /// <summary>
    /// Saves a screenshot; into the repo's <c>docs/</c> (which the README shows) only when
    /// <c>BOTENGINE_UPDATE_SCREENSHOT=1</c>, so an ordinary test run never changes a tracked file.
    /// </summary>
    public static async Task SaveScreenshotAsync(IPage page, string file)
    {
        var target = Environment.GetEnvironmentVariable("BOTENGINE_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(RepoRoot(), "docs", file)
            : Path.Combine(AppContext.BaseDirectory, file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, FullPage = true });
        Assert.True(new FileInfo(target).Length > 10_000, "the screenshot is not empty");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BotEngine.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("no BotEngine.sln above the tests");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
