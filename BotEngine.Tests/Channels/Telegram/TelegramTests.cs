using System.Net;
using System.Text;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.Telegram;

/// <summary>
/// Telegram's own rules: a 429 waits for its <c>retry_after</c>, a tapped button is answered once. Once, in order,
/// across restarts, redelivery, refusals and outages: the shared suite (<c>Channels/AppSuite/</c>).
/// </summary>
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
