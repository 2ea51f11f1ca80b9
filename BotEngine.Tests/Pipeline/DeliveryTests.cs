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
    public async Task One_users_30_messages_over_several_bodies_are_answered_in_order()
    {
        Start();
        var user = LineFixtures.NewUserId();
        var other = LineFixtures.NewUserId();

        for (var body = 0; body < 6; body++)
        {
            await PostAsync(Enumerable.Range(0, 5).SelectMany(_ => new[]
            {
                LineFixtures.TextEvent(user, "count"), LineFixtures.TextEvent(other, "count"),
            }).ToArray());
        }

        await Line.WaitForAcceptedAsync(60, Deadline);
        var mine = (await SettledAsync()).Where(a => a.IsTo(user, App.Queue)).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"#{n}"), mine.Select(a => Answers.Counter(a.Text)));
    }

    [Fact]
    public async Task Redelivered_body_answers_nothing_new()
    {
        Start();
        var events = Enumerable.Range(0, 5).Select(_ => LineFixtures.TextEvent(LineFixtures.NewUserId(), "count")).ToArray();
        await PostAsync(events);
        await Line.WaitForAcceptedAsync(5, Deadline);

        var redelivered = events.Select(e => e.Replace("\"isRedelivery\":false", "\"isRedelivery\":true", StringComparison.Ordinal));
        await PostAsync(redelivered.ToArray());

        var answers = await SettledAsync();
        Assert.Equal(2, App.Queue.Bodies);
        Assert.Equal(5, App.Queue.Events);
        Assert.Equal(5, answers.Count);
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

    [Fact]
    public async Task Api_failing_a_third_of_the_time_still_gives_exactly_one_answer_per_event()
    {
        Line.FailureRate = 1.0 / 3;
        Start();
        var users = Enumerable.Range(0, 20).Select(_ => LineFixtures.NewUserId()).ToList();

        for (var round = 0; round < 5; round++)
        {
            await PostAsync(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray());
        }

        await Line.WaitForAcceptedAsync(100, Deadline);
        var answers = await SettledAsync();
        Assert.Equal(100, answers.Count);
        Assert.True(Line.Requests(FakeLineApi.Reply, 429) + Line.Requests(FakeLineApi.Push, 429) > 0, Line.Summary());
        Assert.True(Line.Requests(FakeLineApi.Reply, 500) + Line.Requests(FakeLineApi.Push, 500) > 0, Line.Summary());
        Assert.Equal(0, App.Queue.DeadEvents);
    }

}
