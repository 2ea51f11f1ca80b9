using BotEngine.Conversations;
using BotEngine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BotEngine.Tests.Channels.Dev;

/// <summary>The dev page in a real browser against the whole engine (demo bot).</summary>
public sealed class DevPageBrowserTests : EngineTest
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveTextOptions HasText = new() { Timeout = 30_000 };

    [ChromiumFact]
    public async Task Newcomer_chats_with_the_demo_bot_and_sees_its_state()
    {
        Start();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.AddInitScriptAsync("localStorage.setItem('botengine.dev.users', '[\"aiko\"]')"); // a stable picture
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());
        await Expect(page.Locator("#link")).ToHaveTextAsync("live", HasText);

        await SayAsync(page, "ping");
        await Expect(BotLine(page, "pong")).ToBeVisibleAsync(Visible);
        await SayAsync(page, "count");
        await SayAsync(page, "count");
        await Expect(BotLine(page, "#3")).ToBeVisibleAsync(Visible);

        await Expect(BotLine(page, "#2")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator(".line.user .bubble")).ToHaveTextAsync(["ping", "count", "count"], new() { Timeout = 30_000 });
        await Expect(page.Locator("#state-step")).ToHaveTextAsync("menu", HasText);
        await Expect(page.Locator("#state-vars tr[data-name=texts] td").Nth(1)).ToHaveTextAsync("3", HasText);
    }

    [ChromiumFact]
    public async Task With_a_token_the_dev_page_uses_the_dashboards_sign_in_once()
    {
        const string Token = "dev-page-test-admin-token-0123456789";
        Start(("Admin:Token", Token));
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var problems = Problems(page);
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());

        await Expect(page.Locator("form[action='/admin/login']")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator("h1")).ToHaveTextAsync("BotEngine dev chat", HasText);
        await page.FillAsync("input[name=token]", Token);
        await page.ClickAsync("button[type=submit]");

        await Expect(page.Locator("#link")).ToHaveTextAsync("live", HasText);
        Assert.EndsWith("/dev", page.Url, StringComparison.Ordinal);
        await SayAsync(page, "ping");
        await Expect(BotLine(page, "pong")).ToBeVisibleAsync(Visible);
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/admin").ToString()); // the same sign-in opens the dashboard
        await Expect(page.Locator("#chart-queue")).ToBeVisibleAsync(Visible);
        // The sign-in form answers 401 by design; nothing else may fail (no favicon 404, no script error).
        Assert.True(problems.All(p => p.Contains("/admin", StringComparison.Ordinal) && p.Contains("401", StringComparison.Ordinal)
            || p.Contains("/dev/api/", StringComparison.Ordinal) && p.Contains("401", StringComparison.Ordinal)),
            string.Join("\n", problems));
    }

    [ChromiumFact]
    public async Task The_page_has_an_icon_and_loads_without_a_failed_request()
    {
        Start();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var problems = Problems(page);

        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());
        await Expect(page.Locator("#link")).ToHaveTextAsync("live", HasText);
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/admin").ToString());
        await Expect(page.Locator("body[data-refreshed]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        Assert.StartsWith("data:image/svg+xml,", await page.GetAttributeAsync("link[rel=icon]", "href"), StringComparison.Ordinal);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [ChromiumFact]
    public async Task Newcomer_books_a_table_with_the_demo_flow()
    {
        Start();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());

        await SayAsync(page, "book");
        await Expect(BotLine(page, "For which date?")).ToBeVisibleAsync(Visible);
        await SayAsync(page, "someday");
        await Expect(BotLine(page, "not a date I can read")).ToBeVisibleAsync(Visible);
        await SayAsync(page, "2026-12-24");
        await page.Locator("#quick button", new() { HasText = "4" }).ClickAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator(".template.confirm")).ToContainTextAsync("4 on 2026-12-24", new() { Timeout = 30_000 });
        await page.Locator(".template button", new() { HasText = "Yes" }).Last.ClickAsync();

        await Expect(BotLine(page, "Booked: a table for 4 on 2026-12-24")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator("#state-step")).ToHaveTextAsync("menu", HasText);
        await Expect(page.Locator("#state-vars tr[data-name=reference] td").Nth(1)).Not.ToBeEmptyAsync(new() { Timeout = 30_000 });
        await Browser.SaveScreenshotAsync(page, "dev-page.png");
    }

    [ChromiumFact]
    public async Task New_user_gets_a_conversation_of_its_own()
    {
        Start();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());
        await SayAsync(page, "count");
        await Expect(BotLine(page, "#1")).ToBeVisibleAsync(Visible);

        await page.ClickAsync("#new-user");
        await Expect(page.Locator("#users li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#lines li")).ToHaveCountAsync(0);
        await SayAsync(page, "count");

        await Expect(BotLine(page, "#1")).ToBeVisibleAsync(Visible);
        await page.Locator("#users li").First.ClickAsync();
        await Expect(page.Locator(".line.bot")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
    }

    [ChromiumFact]
    public async Task Quick_reply_and_template_buttons_send_their_text_or_postback()
    {
        App = BotEngineApp.Start(Data.Path, Line, services: s => s.AddSingleton<IBot>(new ButtonsBot()));
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/dev").ToString());
        await SayAsync(page, "menu");
        await Expect(page.Locator("#quick button")).ToHaveTextAsync(["Yes", "Later"], new() { Timeout = 30_000 });
        await Expect(page.Locator(".template.confirm .title")).ToHaveTextAsync("Booking", HasText);

        await page.Locator("#quick button", new() { HasText = "Yes" }).ClickAsync();
        await Expect(BotLine(page, "you said yes")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator("#quick button")).ToHaveCountAsync(0);
        await page.Locator(".template button", new() { HasText = "Book" }).ClickAsync();

        await Expect(BotLine(page, "postback book")).ToBeVisibleAsync(Visible);
        await Expect(page.Locator(".line.user .bubble.postback")).ToHaveTextAsync("Book", HasText);
        await Expect(page.Locator("#state-step")).ToHaveTextAsync("book", HasText);
        await Expect(page.Locator("#state-vars tr[data-name=last] td").Nth(1)).ToHaveTextAsync("yes", HasText);
    }

    // Failed requests (4xx/5xx answers, requests that never got one) and console errors.
    private static List<string> Problems(IPage page)
    {
        var problems = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) lock (problems) problems.Add($"{response.Status} {response.Url}");
        };
        page.RequestFailed += (_, request) =>
        {
            // A navigation cancels the page's open answer stream: that is leaving, not failing.
            if (request.Failure != "net::ERR_ABORTED") lock (problems) problems.Add($"failed {request.Url}: {request.Failure}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (problems) problems.Add($"console: {message.Text} {message.Location}");
        };
        page.PageError += (_, error) => { lock (problems) problems.Add($"page: {error}"); };
        return problems;
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.FillAsync("#text", text);
        await page.PressAsync("#text", "Enter");
    }

    private static ILocator BotLine(IPage page, string text) =>
        page.Locator(".line.bot .bubble").Filter(new() { HasText = text });
}
