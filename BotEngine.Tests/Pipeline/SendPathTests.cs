using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

public sealed class SendPathTests : EngineTest
{
    [Fact]
    public async Task Token_older_than_the_reply_window_falls_back_to_push_with_a_retry_key()
    {
        Start(("Channels:Line:ReplyWindow", "00:00:00"));
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "ping"));

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal((FakeLineApi.Push, user), (answer.Endpoint, answer.To));
        Assert.True(Guid.TryParse(answer.RetryKey, out _));
        Assert.Equal(0, Line.Requests(FakeLineApi.Reply));
    }

    [Fact]
    public async Task Every_retry_of_a_push_reuses_its_retry_key()
    {
        var attemptedKeys = new List<string?>();
        Line.Fail(request =>
        {
            lock (attemptedKeys)
            {
                attemptedKeys.Add(request.RetryKey);
                return attemptedKeys.Count <= 3 ? 500 : null;
            }
        });
        Start(("Channels:Line:ReplyWindow", "00:00:00"));

        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal(4, attemptedKeys.Count);
        Assert.All(attemptedKeys, key => Assert.Equal(answer.RetryKey, key));
    }

    [Fact]
    public async Task Reply_token_refused_on_first_use_falls_back_to_push()
    {
        Start();
        var user = LineFixtures.NewUserId();
        var token = LineFixtures.NewReplyToken();
        Line.DeclareInvalidReplyTokens(token);

        await PostAsync(LineFixtures.TextEvent(user, "ping", replyToken: token));

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal((FakeLineApi.Push, user), (answer.Endpoint, answer.To));
    }

    [Fact]
    public async Task Reply_that_reached_line_but_timed_out_is_not_sent_again_by_push()
    {
        // LINE takes the reply but answers after the client gave up: the retry finds the token used. (An API that
        // answers every request too late counts as unreachable: sending pauses, see LedgerTests.)
        Line.LateBy = TimeSpan.FromSeconds(2);
        Line.Script(FakeAnswer.AcceptLate);
        Start(("Channels:Line:RequestTimeout", "00:00:01"));

        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));

        var answer = Assert.Single(await SettledAsync());
        Assert.Equal(FakeLineApi.Reply, answer.Endpoint);
        Assert.Equal(0, Line.Requests(FakeLineApi.Push) + Line.Requests(FakeLineApi.Multicast));
        Assert.Equal(1, Line.Requests(FakeLineApi.Reply, 400));
        Assert.Equal(0, App.Queue.DeadEvents);
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE uncertain = 1"));
    }

    [Fact]
    public async Task Throttled_api_is_waited_out_and_each_answer_sent_once()
    {
        Line.RetryAfter = TimeSpan.FromMilliseconds(1); // rounded to whole seconds on the wire: honoured as 0-1 s
        var throttled = 0;
        Line.Fail(_ => Interlocked.Increment(ref throttled) <= 5 ? 429 : null);
        Start();
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "count"), LineFixtures.TextEvent(user, "count"));

        var answers = await SettledAsync();
        Assert.Equal(["#1", "#2"], answers.Select(a => Answers.Counter(a.Text)));
        Assert.Equal(5, Line.Requests(FakeLineApi.Reply, 429) + Line.Requests(FakeLineApi.Push, 429));
    }
}
