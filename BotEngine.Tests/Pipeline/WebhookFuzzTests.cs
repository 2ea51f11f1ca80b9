using System.Globalization;
using System.Net;
using BotEngine.Tests.Support;
using CsCheck;

namespace BotEngine.Tests.Pipeline;

/// <summary>
/// Property: whatever a signed LINE body holds next to good events (broken UTF-8, wrong types, huge strings, deep
/// nesting, duplicated ids, unknown types, garbage), the engine answers no 5xx, stays healthy, answers every good
/// event exactly once and no hostile one; a forged copy stores nothing. A few seconds here; for a longer hand run:
/// <c>BOTENGINE_FUZZ_ITERATIONS=2000 dotnet test --filter WebhookFuzzTests</c>. A failure prints CsCheck's seed.
/// </summary>
public sealed class WebhookFuzzTests : EngineTest
{
    private static readonly long Iterations = long.TryParse(
        Environment.GetEnvironmentVariable("BOTENGINE_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) ? n : 25;

    [Fact]
    public async Task Hostile_events_never_cost_a_good_neighbour_its_one_answer()
    {
        // Bodies up to 12 events of up to 200 KB each: under the limit, so every one is stored and split.
        Start(("BotEngine:MaxBodyBytes", (8 * 1024 * 1024).ToString(CultureInfo.InvariantCulture)));

        await HostileEvents.Bodies.SampleAsync(PostAndCheckAsync, iter: Iterations, threads: 1, print: b => b.ToString());
    }

    private async Task PostAndCheckAsync(FuzzBody fuzz)
    {
        var (body, answered, silent) = HostileEvents.Body(fuzz);
        if (fuzz.AlsoForged)
        {
            var before = App.Queue.Bodies;
            using var forged = await App.PostLineAsync(body, LineFixtures.Sign("not-the-channel-secret", body));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
            Assert.Equal(before, App.Queue.Bodies);
        }

        var answeredBefore = Line.Accepted.Count; // the previous body is settled: what comes now answers this one
        using (var posted = await App.PostLineAsync(body))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "the body split and every event done or dead");
        var accepted = Line.Accepted.Skip(answeredBefore).ToList();
        foreach (var (user, shape) in answered)
        {
            var mine = accepted.Where(a => a.IsTo(user, App.Queue)).ToList();
            Assert.True(mine.Count == 1, $"{user} ({shape}): {mine.Count} answers to one good event; its rows: "
                + string.Join("; ", App.Queue.Rows($"lane = 'line:{user}'")));
            Assert.Equal("#1", Answers.Counter(mine[0].Text));
        }

        Assert.All(silent, user => Assert.DoesNotContain(accepted, a => a.IsTo(user, App.Queue)));
        using var health = await App.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
