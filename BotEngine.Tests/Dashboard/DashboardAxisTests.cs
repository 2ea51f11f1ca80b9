using BotEngine.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace BotEngine.Tests.Dashboard;

/// <summary>The charts' time axis stays readable from a few minutes to a full hour of history, narrow or wide.</summary>
public sealed class DashboardAxisTests : EngineTest
{
    // Five minutes (the first minutes after a start: minute ticks) and the full hour; widths where they ran together.
    private static readonly (int Width, int Seconds)[] Cases = [(640, 300), (1240, 300), (480, 3600), (1360, 3600)];

    [ChromiumFact]
    public async Task Time_labels_never_overlap_from_the_first_minutes_to_a_full_hour()
    {
        Start();
        await using var browser = await Browser.LaunchAsync();
        foreach (var (width, seconds) in Cases)
        {
            var page = await browser.NewPageAsync(width, 900);
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);
            // 10 s samples, served at the page's network edge instead of waiting an hour for the sampler.
            await page.RouteAsync("**/admin/api/stats", route => route.FulfillAsync(new() { Json = Samples(seconds) }));
            await page.GotoAsync(new Uri(App.Client.BaseAddress!, "/admin").ToString());
            await Expect(page.Locator("body[data-refreshed]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            Assert.True(errors.Count == 0, string.Join("\n", errors));

            var gaps = await page.EvaluateAsync<double[]>(MeasureGaps);
            Assert.True(gaps.Length >= 6, $"{width} px, {seconds} s: only {gaps.Length} gaps between time labels of 6 charts");
            Assert.True(gaps.Min() >= 4, $"{width} px, {seconds} s: time labels overlap (smallest gap {gaps.Min():F1} px)");
            await page.CloseAsync();
        }
    }

    // For each chart: the free space between neighbouring time labels (centred on their ticks), measured with the
    // axis font in this browser.
    private const string MeasureGaps = """
        () => {
          const context = document.createElement("canvas").getContext("2d");
          return [...document.querySelectorAll("figure.chart[data-x-ticks]")].flatMap((figure) => {
            context.font = figure.dataset.axisFont;
            const ticks = JSON.parse(figure.dataset.xTicks).map(([x, label]) => [x, context.measureText(label).width]);
            return ticks.slice(1).map(([x, w], i) => x - ticks[i][0] - (w + ticks[i][1]) / 2);
          });
        }
        """;

    private static object Samples(int seconds)
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var time = Enumerable.Range(0, seconds / 10).Select(i => (double)(end - seconds + (i * 10))).ToArray();
        var wave = time.Select((_, i) => Math.Round(5 + (5 * Math.Sin(i / 20.0)), 2)).ToArray();
        return new
        {
            intervalSeconds = 10, time, seconds = time.Select(_ => 10.0), pending = wave, claimed = wave, dead = time.Select(_ => 0),
            webhooks = wave, eventsReceived = wave, eventsDone = wave, p50Ms = wave, p95Ms = wave, p99Ms = wave,
            conversations = wave, outbound = new[] { new { endpoint = "reply", calls = wave, throttled = wave, failed = wave } },
        };
    }
}
