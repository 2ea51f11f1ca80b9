using BotEngine.Tests.Support;
using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>The app-level promises on the fake Send API: once, in order, across restarts, throttling and doubt.</summary>
public sealed class MessengerDeliveryTests : MessengerTest
{
    [Fact]
    public async Task Ping_is_answered_with_pong_as_a_response_to_the_sender()
    {
        await StartMessengerAsync();
        var user = NewPsid();

        await PostItemsAsync(Text(user, "ping"));

        var answer = Assert.Single(await SentWhenSettledAsync());
        Assert.Equal((user, "RESPONSE"), (answer.Psid, answer.MessagingType));
        Assert.Contains("pong", answer.Text, StringComparison.Ordinal);
        Assert.Equal(1, await App.MetricAsync("botengine_outbound_calls_total{endpoint=\"messenger.messages\",status=\"200\"}"));
    }

    [Fact]
    public async Task Redelivered_mid_is_answered_once()
    {
        await StartMessengerAsync();
        var (user, mid) = (NewPsid(), NewMid());

        await PostItemsAsync(Text(user, "count", mid));
        await Graph.WaitForSentAsync(1, Deadline);
        await PostItemsAsync(Text(user, "count", mid)); // Meta resends the same mid, also after a fast 200

        var answer = Assert.Single(await SentWhenSettledAsync());
        Assert.Contains("#1", answer.Text, StringComparison.Ordinal);
        Assert.Equal((2, 1), (App.Queue.Bodies, App.Queue.Events));
    }

    [Fact]
    public async Task One_users_30_messages_over_several_bodies_are_answered_in_order()
    {
        await StartMessengerAsync();
        var (user, other) = (NewPsid(), NewPsid());

        for (var body = 0; body < 6; body++)
        {
            await PostItemsAsync([.. Enumerable.Range(0, 5).SelectMany(_ => new[] { Text(user, "count"), Text(other, "count") })]);
        }

        var mine = (await SentWhenSettledAsync()).Where(s => s.Psid == user).Select(s => Answers.Counter(s.Text));
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"#{n}"), mine);
    }

    [Fact]
    public async Task Restart_mid_stream_loses_and_duplicates_nothing()
    {
        await StartMessengerAsync();
        var users = Enumerable.Range(0, 10).Select(_ => NewPsid()).ToList();

        for (var round = 0; round < 12; round++)
        {
            await PostItemsAsync([.. users.Select(u => Text(u, "count"))]);
        }

        await Graph.WaitForSentAsync(20, Deadline);
        await RestartMessengerAsync();

        var sent = await SentWhenSettledAsync();
        Assert.Equal(120, sent.Count);
        Assert.All(users, u => Assert.Equal(Enumerable.Range(1, 12).Select(n => $"#{n}"),
            sent.Where(s => s.Psid == u).Select(s => Answers.Counter(s.Text))));
    }

    [Fact]
    public async Task Rate_limit_errors_and_server_errors_a_third_of_the_time_still_give_one_answer_per_event()
    {
        await StartMessengerAsync();
        Graph.FailureRate = 1.0 / 3;
        var users = Enumerable.Range(0, 20).Select(_ => NewPsid()).ToList();

        for (var round = 0; round < 5; round++)
        {
            await PostItemsAsync([.. users.Select(u => Text(u, "count"))]);
        }

        var sent = await SentWhenSettledAsync();
        Assert.Equal(100, sent.Count);
        Assert.True(Graph.Requests(400) > 0 && Graph.Requests(500) > 0, "both 613s and 500s were answered");
        Assert.Equal(0, App.Queue.DeadEvents);
        Assert.All(users, u => Assert.Equal(["#1", "#2", "#3", "#4", "#5"],
            sent.Where(s => s.Psid == u).Select(s => Answers.Counter(s.Text))));
    }

    [Fact]
    public async Task A_late_answer_or_a_cut_after_the_body_was_written_is_counted_uncertain_and_never_sent_again()
    {
        await StartMessengerAsync(("Channels:Messenger:RequestTimeout", "00:00:01"));
        Graph.Script(FakeGraphAnswer.AcceptLate, FakeGraphAnswer.Reset);
        var user = NewPsid();

        await PostItemsAsync(Text(user, "count"), Text(user, "count"));

        // #1 arrived (its answer came after the client gave up), #2 was cut off and never arrived: neither is resent.
        var answer = Assert.Single(await SentWhenSettledAsync());
        Assert.Contains("#1", answer.Text, StringComparison.Ordinal);
        Assert.Equal(2, Graph.Requests());
        Assert.Equal(0, App.Queue.DeadEvents);
        Assert.Equal(2, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
        Assert.Equal(2, await App.MetricAsync("botengine_uncertain_deliveries_total{channel=\"messenger\"}"));
    }

    [Fact]
    public async Task Answers_outside_the_24_hour_window_are_dead_lettered_with_that_reason()
    {
        await StartMessengerAsync();
        Graph.Script(FakeGraphAnswer.OutsideWindow);
        var (stale, refused) = (NewPsid(), NewPsid());

        await PostItemsAsync(Text(stale, "ping", timestamp: Now - (long)TimeSpan.FromHours(25).TotalMilliseconds));
        await Eventually.TrueAsync(() => App.Queue.DeadEvents == 1, Deadline, "the day-old message dead-lettered");
        await PostItemsAsync(Text(refused, "ping")); // Meta's own refusal (10/2018278) says the same

        Assert.Empty(await SentWhenSettledAsync());
        Assert.Equal(1, Graph.Requests());
        var dead = App.Queue.EventRows().Where(r => r.State == 3).ToList();
        Assert.Equal(2, dead.Count);
        Assert.All(dead, r => Assert.Contains("outside Messenger's 24-hour window", r.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreachable_graph_api_pauses_messenger_sending_without_using_up_attempts()
    {
        await StartMessengerAsync(("Channels:Messenger:ApiBaseUrl", $"http://127.0.0.1:{RawLoopbackServer.ClosedPort()}"),
            ("BotEngine:MaxAttempts", "1"), ("BotEngine:OutageProbeInterval", "00:00:00.500"));

        await PostItemsAsync([.. Enumerable.Range(0, 6).Select(_ => Text(NewPsid(), "ping"))]);

        var health = await App.HealthShowsAsync("messenger API unreachable", Deadline);
        Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
        Assert.Equal(1, await App.MetricAsync("botengine_platform_unreachable{channel=\"messenger\"}"));
        Assert.Equal((0, 6), (App.Queue.DeadEvents, App.Queue.OpenEvents));
    }
}
