using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Line;

/// <summary>The reply and push ledger: never a guess between "not sent" and "maybe delivered".</summary>
public sealed class LedgerTests : EngineTest
{
    [Fact]
    public async Task Issue8_refused_connections_longer_than_the_reply_window_lose_nothing_and_burn_no_attempt()
    {
        Start(("Channels:Line:ReplyWindow", "00:00:00.500"), ("BotEngine:MaxAttempts", "2"),
            ("BotEngine:OutageProbeInterval", "00:00:00.500"));
        var users = Enumerable.Range(0, 6).Select(_ => LineFixtures.NewUserId()).ToList();
        await Line.GoOfflineAsync();

        await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "count"))]);
        var health = await App.HealthShowsAsync("line API unreachable", Deadline);
        await Eventually.TrueAsync(() => App.Queue.Scalar(
            "SELECT COUNT(*) FROM events WHERE last_error LIKE '%not sent%'") == users.Count, Deadline, "every reply refused");
        var received = App.Queue.Scalar("SELECT MAX(received_at) FROM events");
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > received + 600, Deadline,
            "every token older than the reply window");
        await Line.GoOnlineAsync();

        var answers = await SettledAsync();
        Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
        Assert.Equal(users.Order(), answers.Select(a => a.To!).Order());
        Assert.All(answers, a => Assert.NotEqual(FakeLineApi.Reply, a.Endpoint));
        Assert.Equal(0, App.Queue.DeadEvents);
        Assert.Equal(0, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
        await App.HealthShowsAsync("Healthy", Deadline);
    }

    [Fact]
    public async Task Issue8_late_reply_then_429_then_invalid_token_is_counted_uncertain_and_never_pushed()
    {
        Line.LateBy = TimeSpan.FromSeconds(2);
        Line.Script(FakeAnswer.AcceptLate, FakeAnswer.RateLimited);
        Start(("Channels:Line:RequestTimeout", "00:00:01"));
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "count"), LineFixtures.TextEvent(user, "count"));

        var answers = await SettledAsync();
        Assert.Equal(["#1", "#2"], answers.Select(a => Answers.Counter(a.Text)));
        Assert.Equal(0, Line.Requests(FakeLineApi.Push) + Line.Requests(FakeLineApi.Multicast));
        Assert.Equal((1, 1), (Line.Requests(FakeLineApi.Reply, 429), Line.Requests(FakeLineApi.Reply, 400)));
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
        Assert.Equal(1, await App.MetricAsync("botengine_uncertain_deliveries_total{channel=\"line\"}"));
    }

    [Fact]
    public async Task Reply_never_sent_then_refused_token_is_pushed_not_uncertain()
    {
        Start(("BotEngine:OutageProbeInterval", "00:00:00.500"));
        var user = LineFixtures.NewUserId();
        await Line.GoOfflineAsync();

        await PostAsync(LineFixtures.TextEvent(user, "ping"));
        await Eventually.TrueAsync(() => App.Queue.Scalar(
            "SELECT COUNT(*) FROM events WHERE last_error LIKE '%not sent%' AND reply_state = 0") == 1, Deadline,
            "the reply refused, the ledger back to not sent");
        Line.ExpireReplyTokens = true;
        await Line.GoOnlineAsync();

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal((FakeLineApi.Push, user), (answer.Endpoint, answer.To));
        Assert.Equal(0, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
    }

    [Fact]
    public async Task Cut_connection_after_the_push_was_read_resends_under_the_same_key_once()
    {
        Line.Script(FakeAnswer.AcceptLate);
        Line.LateBy = TimeSpan.FromSeconds(2);
        Start(("Channels:Line:ReplyWindow", "00:00:00"), ("Channels:Line:RequestTimeout", "00:00:01"));

        await PostAsync(LineFixtures.GroupTextEvent(LineFixtures.NewGroupId(), LineFixtures.NewUserId(), "ping"));

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal(FakeLineApi.Push, answer.Endpoint);
        Assert.Equal(1, Line.Requests(FakeLineApi.Push, 409));
        Assert.Equal(0, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
    }

    [Fact]
    public async Task Outage_of_server_errors_pauses_sending_without_dead_lettering_and_resumes_in_order()
    {
        var down = 1;
        Line.Fail(_ => Volatile.Read(ref down) == 1 ? 500 : null);
        Start(("BotEngine:MaxAttempts", "3"), ("BotEngine:OutageProbeInterval", "00:00:00.500"));
        var users = Enumerable.Range(0, 4).Select(_ => LineFixtures.NewUserId()).ToList();

        foreach (var round in Enumerable.Range(0, 3))
        {
            await PostAsync([.. users.Select(u => LineFixtures.TextEvent(u, "count"))]);
        }

        await App.HealthShowsAsync("line API unreachable", Deadline);
        var probesBefore = Line.Requests(FakeLineApi.Reply, 500);
        await Eventually.TrueAsync(() => Line.Requests(FakeLineApi.Reply, 500) >= probesBefore + 3, Deadline,
            "three more probes while down, more than MaxAttempts allows");
        Assert.Equal(1, await App.MetricAsync("botengine_platform_unreachable{channel=\"line\"}"));
        Volatile.Write(ref down, 0);

        var answers = await SettledAsync();
        Assert.Equal(0, App.Queue.DeadEvents);
        Answers.AssertEachUserCountedOnceInOrder(answers, users, 3, App.Queue);
        await App.HealthShowsAsync("Healthy", Deadline);
        Assert.Equal(0, await App.MetricAsync("botengine_platform_unreachable{channel=\"line\"}"));
    }
}
