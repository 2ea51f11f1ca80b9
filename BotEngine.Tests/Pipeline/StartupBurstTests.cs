using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

/// <summary>
/// No stall right after start: 200 new users posted at once are all answered within a few seconds, on a fresh data
/// folder, after a restart and after a kill -9. The engine once froze for 17-37 s here: the first conversation
/// actors started Akka's scheduler on a busy thread pool and blocked every pool thread (BENCHMARKS.md).
/// </summary>
public sealed class StartupBurstTests : EngineTest
{
    private const int Users = 200;
    private const int UsersPerBody = 20;

    // Well under the 30 s the stall lasted (and the Ask timeout), well over a loaded 2-core machine's 2-6 s.
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(15);

    // A probe waits well under a second on a loaded machine; the freeze blocked the pool for 17-37 s.
    private const double MaxPoolLagSeconds = 5;

    [Fact]
    public async Task New_users_posted_at_once_right_after_start_are_answered_within_seconds_each_time()
    {
        Line.Latency = TimeSpan.FromMilliseconds(20);
        await using (var fresh = await EngineProcess.StartAsync(Data.Path, Line))
        {
            await PostUsersAtOnceAndAwaitAnswersAsync(fresh, "fresh data folder");
            fresh.Terminate();
            await fresh.WaitForExitAsync(Deadline);
        }

        await using (var restarted = await EngineProcess.StartAsync(Data.Path, Line))
        {
            await PostUsersAtOnceAndAwaitAnswersAsync(restarted, "after a restart");
            // Killed with work in flight: the next start finds claimed events and a WAL to recover.
            foreach (var body in Bodies(out _))
            {
                using var response = await restarted.PostLineAsync(body);
            }

            await restarted.KillAsync();
        }

        await using var afterKill = await EngineProcess.StartAsync(Data.Path, Line);
        await PostUsersAtOnceAndAwaitAnswersAsync(afterKill, "after a kill -9");
    }

    private async Task PostUsersAtOnceAndAwaitAnswersAsync(EngineProcess engine, string when)
    {
        var bodies = Bodies(out var replyTokens);
        var responses = await Task.WhenAll(bodies.Select(engine.PostLineAsync));
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // Each user's one event carries its own reply token: all of them back means every user was answered.
        await Eventually.TrueAsync(
            () => Line.Accepted.Select(a => a.ReplyToken).Intersect(replyTokens).Count() == Users,
            Answered, $"all {Users} new users answered {when}");
        // A freeze shorter than the deadline still shows: the engine's watch on its thread pool (a stall lasted 17-37 s).
        var lag = MaxPoolLag(await engine.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.True(lag < MaxPoolLagSeconds, $"the thread pool stalled {lag:F1} s {when}");
    }

    private static double MaxPoolLag(string metrics) => double.Parse(
        metrics.Split('\n').Single(l => l.StartsWith("botengine_threadpool_max_lag_seconds ", StringComparison.Ordinal))
            .Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static List<byte[]> Bodies(out List<string> replyTokens)
    {
        var tokens = new List<string>();
        var bodies = Enumerable.Range(0, Users / UsersPerBody).Select(_ => LineFixtures.Body(
            Enumerable.Range(0, UsersPerBody).Select(_ =>
            {
                var token = LineFixtures.NewReplyToken();
                tokens.Add(token);
                return LineFixtures.TextEvent(LineFixtures.NewUserId(), "count", replyToken: token);
            }).ToArray())).ToList();
        replyTokens = tokens;
        return bodies;
    }
}
