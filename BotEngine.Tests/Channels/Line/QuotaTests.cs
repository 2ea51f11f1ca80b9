using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Line;

public sealed class QuotaTests : EngineTest
{
    [Fact]
    public async Task Monthly_quota_429_pauses_pushes_but_not_replies_shows_everywhere_and_lifts_when_there_is_room()
    {
        Line.QuotaLimit = 0;
        Start(("Channels:Line:QuotaCheckInterval", "00:00:00.300"), ("Channels:Line:CoalesceWindow", "00:00:00"));
        var (pushed, replied) = (LineFixtures.NewUserId(), LineFixtures.NewUserId());
        var refusedToken = LineFixtures.NewReplyToken();
        Line.DeclareInvalidReplyTokens(refusedToken);

        await PostAsync(LineFixtures.TextEvent(pushed, "ping", replyToken: refusedToken));
        var health = await App.HealthShowsAsync("quota reached", Deadline);
        await PostAsync(LineFixtures.TextEvent(replied, "ping"));
        await Line.WaitForAcceptedAsync(1, Deadline);
        Assert.Equal(FakeLineApi.Reply, Assert.Single(Line.Accepted).Endpoint);
        Assert.Equal(1, await App.MetricAsync("botengine_line_quota_exhausted"));
        Assert.Equal(0, await App.MetricAsync("botengine_line_quota_remaining"));
        Line.QuotaLimit = 100; // next month, or a higher limit

        var answers = await SettledAsync();
        Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
        Assert.Equal(pushed, Assert.Single(answers, a => a.Endpoint == FakeLineApi.Push).To);
        Assert.Equal(1, Line.Requests(FakeLineApi.Push, 429));
        Assert.Equal(0, App.Queue.DeadEvents);
        await App.HealthShowsAsync("Healthy", Deadline);
        await Eventually.TrueAsync(() => App.MetricAsync("botengine_line_quota_remaining").Result == 99, Deadline,
            "the gauge read after the push");
        Assert.Equal(0, await App.MetricAsync("botengine_line_quota_exhausted"));
    }
}
