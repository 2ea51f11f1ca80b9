using BotEngine.Tests.Support;
using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>
/// Messenger's own delivery rules on the fake Send API: a response to the sender, doubt counted uncertain, the 24-hour
/// window. Once, in order, across restarts, redelivery and throttling: the shared suite (<c>Channels/AppSuite/</c>).
/// </summary>
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
}
