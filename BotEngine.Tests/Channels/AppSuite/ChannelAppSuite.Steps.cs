using System.Globalization;
using System.Net;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

// The steps and checks the cases share.
public abstract partial class ChannelAppSuite
{
    protected ChannelDriver Driver { get; private set; } = null!;

    /// <summary>Starts the channel's fake API (the fake LINE API is the base class's).</summary>
    protected abstract Task<ChannelDriver> StartDriverAsync();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Driver = await StartDriverAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Driver is not null) await Driver.DisposeAsync();
    }

    /// <summary>The engine with the channel connected; <paramref name="settings"/> win over the driver's.</summary>
    private void StartEngine(params (string Key, string Value)[] settings) =>
        Start([.. Driver.Settings.Where(s => settings.All(own => own.Key != s.Key)), .. settings]);

    private List<string> NewUsers(int count) => [.. Enumerable.Range(0, count).Select(_ => Driver.NewUser())];

    private async Task PostEventsAsync(HttpClient client, IReadOnlyList<(string User, string Text)> events)
    {
        foreach (var body in Driver.Bodies(events))
        {
            Assert.Equal(HttpStatusCode.OK, await Driver.PostAsync(client, body));
        }
    }

    // Each round holds one "count" of every user.
    private async Task PostRoundsAsync(HttpClient client, List<string> users, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            await PostEventsAsync(client, [.. users.Select(u => (u, "count"))]);
        }
    }

    private Task SettledAsync(QueueFile queue) =>
        Eventually.TrueAsync(() => queue.Settled, Driver.Deadline, "every body split and every event done or dead");

    private List<string> Counters(string user, QueueFile queue) => [.. Driver.AnswersTo(user, queue).Select(Answers.Counter)];

    /// <summary>Every user got #1 … #<paramref name="each"/> exactly once, in that order, and nothing else was sent.</summary>
    private void AssertCountedOnceInOrder(List<string> users, int each, QueueFile queue)
    {
        Assert.All(users, u => Assert.Equal(Enumerable.Range(1, each).Select(n => $"#{n}"), Counters(u, queue)));
        Assert.Equal(users.Count * each, Driver.AnswerCount);
    }

    /// <summary>
    /// After a kill -9 the sends in flight (at most one per conversation) are ambiguous. A channel that resends them
    /// may show one twice, in place, and loses nothing; a channel that counts them uncertain may lack them, no more
    /// than it counted, and doubles nothing. Either way each user's answers never go back.
    /// </summary>
    private void AssertInOrderWithinTheAmbiguity(List<string> users, int each, QueueFile queue)
    {
        var (missing, doubled) = (0, 0);
        foreach (var user in users)
        {
            var seen = Counters(user, queue).Select(c => int.Parse(c.TrimStart('#'), CultureInfo.InvariantCulture)).ToList();
            Assert.All(seen, n => Assert.InRange(n, 1, each));
            Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Item1 <= p.Item2), $"{user}: {string.Join(",", seen)}");
            var twice = seen.Count - seen.Distinct().Count();
            Assert.True(twice <= 1, $"{user} got {twice} doubles: {string.Join(",", seen)}");
            (missing, doubled) = (missing + each - seen.Distinct().Count(), doubled + twice);
        }

        var uncertain = queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1");
        if (Driver.ResendsAnAmbiguousSend)
        {
            Assert.Equal(0, missing);
        }
        else
        {
            Assert.Equal(0, doubled);
            Assert.True(missing <= uncertain, $"{missing} answers missing, {uncertain} counted uncertain");
        }

        Assert.Equal(0, queue.DeadEvents);
    }

    // Calls that got no HTTP answer (refused connections), summed over the channel's endpoints.
    private async Task<double> RefusedCallsAsync()
    {
        var metrics = await App.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return metrics.Split('\n')
            .Where(l => l.StartsWith("botengine_outbound_calls_total{", StringComparison.Ordinal)
                && l.Contains("status=\"error\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}
