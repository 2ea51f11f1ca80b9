using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace BotEngine.Tests.Dashboard;

public sealed class DashboardPageTests : EngineTest
{
    private static readonly string[] Charts =
        ["chart-queue", "chart-traffic", "chart-latency", "chart-conversations", "chart-outbound", "chart-throttled"];

    [ChromiumFact]
    public async Task Dashboard_draws_every_chart_and_retries_a_dead_letter_in_a_real_browser()
    {
        var doomed = LineFixtures.NewUserId();
        var throttled = LineFixtures.NewUserId();
        var throttledOnce = 0;
        Line.Fail(request => request.To == doomed ? 500
            : request.To == throttled && Interlocked.Exchange(ref throttledOnce, 1) == 0 ? 429 : null);
        Start(("BotEngine:MaxAttempts", "3"), ("Channels:Line:ReplyWindow", "00:00:00"),
            ("Channels:Line:CoalesceWindow", "00:00:00"),
            ("Dashboard:SampleInterval", "00:00:00.200"));

        var users = Enumerable.Range(0, 8).Select(_ => LineFixtures.NewUserId()).ToList();
        await PostAsync([LineFixtures.TextEvent(doomed, "ping"), LineFixtures.TextEvent(throttled, "ping")]);
        foreach (var wave in new[] { "ping", "count", "count" })
        {
            await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, wave))]);
        }

        await SettledAsync();
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "queue settled");
        await WaitForSampleAsync(
            stats => stats.GetProperty("p50Ms").EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Number)
                && stats.GetProperty("dead").EnumerateArray().Any(v => v.GetInt64() == 1),
            "a sample with latency and the dead letter");

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(1360, 1000);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{message.Text} {message.Location}"); };
        page.PageError += (_, error) => errors.Add(error);

        var response = await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/admin").ToString());
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("body[data-refreshed]")).ToHaveCountAsync(1);
        foreach (var chart in Charts)
        {
            var figure = page.Locator($"#{chart}");
            await Expect(figure.Locator("canvas")).Not.ToHaveCountAsync(0);
            var points = int.Parse(
                await figure.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(points > 0, $"{chart} has no data points");
        }

        var rows = page.Locator("#dead-rows tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.Locator("td.error")).ToContainTextAsync("500");
        await Browser.SaveScreenshotAsync(page, "dashboard.png");

        Line.ClearFailures();
        await rows.Locator("button.retry").ClickAsync();
        await Expect(rows).ToHaveCountAsync(0);
        await Expect(page.Locator("#dead-count")).ToHaveTextAsync("0");
        await Eventually.TrueAsync(() => Line.Accepted.Any(a => a.To == doomed), Deadline, "the retried event answered");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private Task<JsonElement> WaitForSampleAsync(Func<JsonElement, bool> done, string what) => Eventually.ValueAsync(
        () => App.Client.GetFromJsonAsync<JsonElement>("/admin/api/stats"), done, Deadline, $"no stats sample with {what}");
}
