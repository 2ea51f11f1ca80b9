using System.Net;
using System.Text;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Telegram;

public sealed class TelegramTests : EngineTest
{
    private const string Secret = "telegram-secret_token-1";
    private FakeTelegramApi _telegram = null!;

    [Fact]
    public async Task Updates_are_answered_in_order_and_a_429_waits_for_retry_after()
    {
        await StartWithTelegramAsync();
        _telegram.ThrottleNext(1);

        Assert.Equal(HttpStatusCode.OK, await PostUpdateAsync(1, "count", Secret));
        Assert.Equal(HttpStatusCode.OK, await PostUpdateAsync(2, "count", Secret));
        Assert.Equal(HttpStatusCode.OK, await PostUpdateAsync(1, "count", Secret)); // Telegram resent it

        await _telegram.WaitForSentAsync(2, Deadline);
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "both updates done");
        Assert.Equal(["#1", "#2"], _telegram.Sent.Select(s => Answers.Counter(s.Body["text"]!.GetValue<string>())));
        Assert.Equal(1, _telegram.Throttled);
        Assert.Contains("retry after", App.Queue.EventRows()[0].Error ?? "", StringComparison.Ordinal);
        var metrics = await App.Client.GetStringAsync("/metrics");
        Assert.Contains("botengine_outbound_calls_total{endpoint=\"telegram.sendMessage\",status=\"429\"} 1", metrics,
            StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTelegramApi.Token, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_wrong_secret_token_is_401_and_nothing_is_stored()
    {
        await StartWithTelegramAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await PostUpdateAsync(1, "ping", "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostUpdateAsync(1, "ping", null));
        Assert.Equal(0, App.Queue.Bodies);
    }

    [Fact]
    public async Task Unreachable_bot_api_pauses_telegram_sending_without_using_up_attempts()
    {
        _telegram = await FakeTelegramApi.StartAsync();
        Start(("Channels:Telegram:BotToken", FakeTelegramApi.Token), ("Channels:Telegram:SecretToken", Secret),
            ("Channels:Telegram:ApiBaseUrl", $"http://127.0.0.1:{RawLoopbackServer.ClosedPort()}"),
            ("BotEngine:MaxAttempts", "1"), ("BotEngine:OutageProbeInterval", "00:00:00.500"));

        foreach (var update in Enumerable.Range(1, 6))
        {
            Assert.Equal(HttpStatusCode.OK, await PostUpdateAsync(update, "ping", Secret));
        }

        var health = await App.HealthShowsAsync("telegram API unreachable", Deadline);
        Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
        Assert.Equal(1, await App.MetricAsync("botengine_platform_unreachable{channel=\"telegram\"}"));
        Assert.Equal(0, App.Queue.DeadEvents);
        Assert.Equal(6, App.Queue.OpenEvents);
    }

    [Fact]
    public async Task A_tapped_button_is_answered_once_and_its_data_reaches_the_conversation_as_a_postback()
    {
        await StartWithTelegramAsync();
        _telegram.ThrottleNext(1); // the answer's first sendMessage is retried: the callback is not answered again

        Assert.Equal(HttpStatusCode.OK, await PostJsonAsync(
            """{"update_id":9,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":4242},"data":"booking=yes","message":{"message_id":3,"date":1700000000,"chat":{"id":4242,"type":"private"}}}}""",
            Secret));

        await _telegram.WaitForSentAsync(1, Deadline);
        await Eventually.TrueAsync(() => App.Queue.Settled, Deadline, "the update done");
        Assert.Equal(["4382bfdwdsb323b2d9"], _telegram.AnsweredCallbacks);
        Assert.Equal(1, _telegram.Throttled);
        Assert.Equal(1, App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE kind = 'postback' AND data = 'booking=yes' AND reply_state = 3"));
        Assert.Equal(1, await App.MetricAsync(
            "botengine_outbound_calls_total{endpoint=\"telegram.answerCallbackQuery\",status=\"200\"}"));
    }

    private async Task StartWithTelegramAsync()
    {
        _telegram = await FakeTelegramApi.StartAsync();
        Start(("Channels:Telegram:BotToken", FakeTelegramApi.Token), ("Channels:Telegram:SecretToken", Secret),
            ("Channels:Telegram:ApiBaseUrl", _telegram.BaseUrl));
    }

    private Task<HttpStatusCode> PostUpdateAsync(long updateId, string text, string? secret) => PostJsonAsync(
        $$$"""{"update_id":{{{updateId}}},"message":{"message_id":{{{updateId}}},"date":1700000000,"chat":{"id":4242,"type":"private"},"from":{"id":4242},"text":"{{{text}}}"}}""",
        secret);

    private async Task<HttpStatusCode> PostJsonAsync(string json, string? secret)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = content };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await App.Client.SendAsync(request);
        return response.StatusCode;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_telegram is not null)
        {
            await _telegram.DisposeAsync();
        }
    }
}
