using System.Globalization;
using BotEngine.Tests.Support;
using CsCheck;

namespace BotEngine.Tests.Pipeline;

/// <summary>
/// The delivery rules under random sequences of what can happen to an attempt, through the whole engine (real queue
/// file, real HTTP to the fake LINE API, restarts), judged by what the fake accepted: never an answer twice, never one
/// lost unless an attempt was genuinely ambiguous (and then it is counted uncertain), every user's answers in order.
/// BOTENGINE_PROPERTY_ITERATIONS sets the number of scenarios (a few in the suite; hundreds by hand).
/// </summary>
public sealed class DeliveryPropertyTests
{
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);

    /// <summary>One thing that happens: the next request gets an answer, connections are refused, the engine restarts.</summary>
    public sealed record Happening(FakeAnswer? Answer, bool Refuse, bool Restart)
    {
        public override string ToString() => Answer?.ToString() ?? (Refuse ? "Refuse" : "Restart");
    }

    public sealed record Scenario(bool Batched, int Users, int EventsEach, int ReplyWindowMs, Happening[] Steps)
    {
        public override string ToString() => $"{(Batched ? "Batched" : "ReplyFirst")} users={Users} events={EventsEach} "
            + $"window={ReplyWindowMs}ms steps=[{string.Join(", ", Steps.AsEnumerable())}]";
    }

    private static readonly Gen<Happening> Steps = Gen.Frequency(
        (6, Gen.Enum<FakeAnswer>().Select(a => new Happening(a, false, false))),
        (1, Gen.Const(new Happening(null, true, false))),
        (1, Gen.Const(new Happening(null, false, true))));

    private static readonly Gen<Scenario> Scenarios = Gen.Select(Gen.Bool, Gen.Int[2, 3], Gen.Int[1, 3],
        Gen.OneOf(0, 300, 5_000), Steps.Array[0, 8], (b, u, e, w, s) => new Scenario(b, u, e, w, s));

    [Fact]
    public async Task Random_outcomes_never_double_never_silently_lose_and_keep_each_users_order()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("BOTENGINE_PROPERTY_ITERATIONS"),
            CultureInfo.InvariantCulture, out var n) ? n : 3;
        await Scenarios.SampleAsync(RunAsync, iter: iterations, threads: 1,
            seed: Environment.GetEnvironmentVariable("BOTENGINE_PROPERTY_SEED"));
    }

    private static async Task RunAsync(Scenario scenario)
    {
        using var data = new TempDirectory();
        await using var line = await FakeLineApi.StartAsync();
        line.LateBy = TimeSpan.FromMilliseconds(300);
        line.AmbiguousAfter = TimeSpan.FromMilliseconds(100); // the client gives up at 150 ms
        var settings = new Dictionary<string, string?>
        {
            ["Channels:Line:DeliveryMode"] = scenario.Batched ? "Batched" : "ReplyFirst",
            ["Channels:Line:ReplyWindow"] = TimeSpan.FromMilliseconds(scenario.ReplyWindowMs).ToString("c", CultureInfo.InvariantCulture),
            ["Channels:Line:RequestTimeout"] = "00:00:00.150",
            ["Channels:Line:CoalesceWindow"] = "00:00:00.050",
            ["Channels:Line:QuotaCheckInterval"] = "00:00:00.100",
            ["BotEngine:MaxAttempts"] = "100",
            // The circuit has its own tests; here it stays closed so that a scenario costs no probe interval.
            ["BotEngine:OutageFailureThreshold"] = "1000",
        };
        var app = BotEngineApp.Start(data.Path, line, settings);
        try
        {
            var users = Enumerable.Range(0, scenario.Users).Select(_ => LineFixtures.NewUserId()).ToList();
            var tokens = new Dictionary<string, (string User, int Count)>(StringComparer.Ordinal);
            var events = new List<string>();
            for (var k = 1; k <= scenario.EventsEach; k++)
            {
                foreach (var user in users)
                {
                    var token = LineFixtures.NewReplyToken();
                    tokens[token] = (user, k);
                    events.Add(LineFixtures.TextEvent(user, "count", replyToken: token));
                }
            }

            using (var posted = await app.PostLineAsync(LineFixtures.Body([.. events])))
            {
                Assert.True(posted.IsSuccessStatusCode);
            }

            foreach (var step in scenario.Steps)
            {
                if (app.Queue.Settled) break;
                app = await PlayAsync(step, app, line, data.Path, settings);
            }

            line.ClearScript();
            await line.GoOnlineAsync();
            await Eventually.TrueAsync(() => app.Queue.Settled, SettleDeadline, $"settled: {line.Summary()}");
            Judge(scenario, line, app.Queue, users, tokens);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task<BotEngineApp> PlayAsync(
        Happening step, BotEngineApp app, FakeLineApi line, string data, Dictionary<string, string?> settings)
    {
        if (step.Restart)
        {
            await app.DisposeAsync();
            return BotEngineApp.Start(data, line, settings);
        }

        if (step.Refuse)
        {
            var before = await NotSentAsync(app);
            await line.GoOfflineAsync();
            await Until(async () => app.Queue.Settled || await NotSentAsync(app) > before);
            await line.GoOnlineAsync();
            return app;
        }

        line.Script(step.Answer!.Value);
        await Until(() => Task.FromResult(app.Queue.Settled || line.ScriptLeft == 0));
        return app;
    }

    // The ground truth is what the fake accepted; the engine's own record is only trusted for "uncertain".
    private static void Judge(Scenario scenario, FakeLineApi line, QueueFile queue, List<string> users,
        Dictionary<string, (string User, int Count)> tokens)
    {
        var ambiguousTokens = line.Ambiguous.Where(a => a.ReplyToken is not null).Select(a => a.ReplyToken!).ToHashSet();
        var uncertain = tokens.Keys.Where(t => queue.Scalar(
            $"SELECT COUNT(*) FROM events WHERE reply_token = '{t}' AND uncertain = 1") == 1).ToHashSet();
        Assert.Equal(0, queue.DeadEvents);
        foreach (var user in users)
        {
            var delivered = line.Accepted
                .Where(a => a.To == user || (a.ReplyToken is { } t && tokens[t].User == user))
                .Select(a => int.Parse(Answers.Counter(a.Text)[1..], CultureInfo.InvariantCulture)).ToList();
            Assert.True(delivered.Distinct().Count() == delivered.Count, $"{user} got an answer twice: {string.Join(",", delivered)} ({scenario})");
            Assert.True(delivered.SequenceEqual(delivered.Order()), $"{user}'s answers out of order: {string.Join(",", delivered)} ({scenario})");
            foreach (var (token, (_, count)) in tokens.Where(t => t.Value.User == user))
            {
                // Lost only when its reply was ambiguous, and then counted.
                Assert.True(delivered.Contains(count) || uncertain.Contains(token),
                    $"{user} #{count} lost without being counted uncertain ({scenario}); {line.Summary()}; events: "
                    + string.Join(" | ", queue.EventRows().Select(r => $"{r.State} {r.Outcome} {r.Error}"))
                    + "; accepted: " + string.Join(" | ", line.Accepted.Select(a => $"{a.Endpoint} {a.To} {a.Text} {a.RetryKey}")));
                Assert.True(!uncertain.Contains(token) || ambiguousTokens.Contains(token),
                    $"{user} #{count} counted uncertain though no attempt was ambiguous ({scenario})");
            }
        }
    }

    private static async Task<double> NotSentAsync(BotEngineApp app)
    {
        var text = await app.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n').Where(l => l.StartsWith("botengine_outbound_calls_total{", StringComparison.Ordinal)
                && l.Contains("status=\"error\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    // The step's outcome is checked afterwards against what the fake accepted, so a step that never settles is no error here.
    private static Task<bool> Until(Func<Task<bool>> done) => Eventually.WithinAsync(done, StepDeadline);
}
