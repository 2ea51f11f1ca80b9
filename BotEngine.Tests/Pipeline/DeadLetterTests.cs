using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

public sealed class DeadLetterTests : EngineTest
{
    [Fact]
    public async Task Malformed_event_is_dead_lettered_while_its_neighbours_are_answered()
    {
        Start();
        var broken = """{"type":"message","mode":"active","timestamp":1,"webhookEventId":"01BROKEN","deliveryContext":{"isRedelivery":false}}""";

        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"), broken,
            LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));

        Assert.Equal(2, (await SettledAsync()).Count);
        var dead = await ListDeadAsync();
        var letter = Assert.Single(dead.EnumerateArray());
        Assert.Equal("01BROKEN", letter.GetProperty("eventId").GetString());
        Assert.Contains("source", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_failing_past_max_attempts_is_dead_lettered_without_blocking_others_and_can_be_retried()
    {
        var doomed = LineFixtures.NewReplyToken();
        Line.Fail(request => request.ReplyToken == doomed ? 500 : null);
        Start(("BotEngine:MaxAttempts", "3"));
        var others = Enumerable.Range(0, 5).Select(_ => LineFixtures.NewReplyToken()).ToList();

        await PostAsync([LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", replyToken: doomed),
            .. others.Select(t => LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping", replyToken: t))]);

        var answers = await SettledAsync();
        Assert.Equal(others.Order(), answers.Select(a => a.ReplyToken!).Order());
        Assert.Equal(3, Line.Requests(FakeLineApi.Reply, 500));
        var letter = Assert.Single((await ListDeadAsync()).EnumerateArray());
        Assert.Contains("500", letter.GetProperty("error").GetString(), StringComparison.Ordinal);

        Line.ClearFailures();
        using var retry = await App.Client.PostAsync($"/admin/dead-letters/{letter.GetProperty("id").GetInt64()}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        await Line.WaitForAcceptedAsync(6, Deadline);
        Assert.Contains((await SettledAsync()), a => a.ReplyToken == doomed);
        Assert.Empty((await ListDeadAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Retrying_an_unknown_dead_letter_is_404()
    {
        Start();

        using var response = await App.Client.PostAsync("/admin/dead-letters/424242/retry", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Host", "evil.example")]
    public async Task Without_a_token_only_direct_loopback_requests_reach_the_admin_api(string header, string value)
    {
        Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/dead-letters");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await App.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonElement> ListDeadAsync() =>
        await App.Client.GetFromJsonAsync<JsonElement>("/admin/dead-letters");
}
