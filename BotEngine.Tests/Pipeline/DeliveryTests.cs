using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

public sealed class DeliveryTests : EngineTest
{
    [Fact]
    public async Task Ping_is_answered_with_pong_by_reply()
    {
        Start();
        var token = LineFixtures.NewReplyToken();

        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", replyToken: token));
        await Line.WaitForAcceptedAsync(1, Deadline);

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal((FakeLineApi.Reply, token), (answer.Endpoint, answer.ReplyToken));
        Assert.Contains("pong", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_of_100_events_from_100_users_gets_100_answers()
    {
        Start();
        var tokens = Enumerable.Range(0, 100).Select(_ => LineFixtures.NewReplyToken()).ToList();

        await PostAsync(tokens.Select(t => LineFixtures.TextEvent(LineFixtures.NewUserId(), "count", replyToken: t)).ToArray());
        await Line.WaitForAcceptedAsync(100, Deadline);

        var answers = await SettledAsync();
        Assert.Equal(tokens.Order(), answers.Select(a => a.ReplyToken).Order());
        Assert.All(answers, a => Assert.Contains("#1", a.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task First_seen_event_marked_as_redelivery_is_handled()
    {
        Start();

        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", redelivery: true));

        Assert.Contains("pong", Assert.Single(await SettledAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standby_events_are_stored_but_not_answered()
    {
        Start();
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "count", mode: "standby"), LineFixtures.TextEvent(user, "count"));

        var answer = Assert.Single(await SettledAsync());
        Assert.Contains("#1", answer.Text, StringComparison.Ordinal);
        Assert.Contains(App.Queue.EventRows(), row => row.Outcome == "standby");
    }
}
