using System.Net;
using System.Text;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

public sealed class IngressTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private FakeLineApi _line = null!;
    private BotEngineApp _app = null!;

    public async Task InitializeAsync()
    {
        _line = await FakeLineApi.StartAsync();
        _app = BotEngineApp.Start(_data.Path, _line, new Dictionary<string, string?> { ["BotEngine:MaxBodyBytes"] = "4096" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _line.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Body_over_the_limit_is_413_and_nothing_is_stored()
    {
        var events = Enumerable.Range(0, 40).Select(i => LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping")).ToArray();
        var body = LineFixtures.Body(events);
        Assert.True(body.Length > 4096);

        using var declared = await _app.PostLineAsync(body);
        using var chunked = await SendChunkedAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(0, _app.Queue.Bodies);
    }

    [Fact]
    public async Task Empty_events_array_of_the_url_check_is_200()
    {
        using var response = await _app.PostLineAsync(LineFixtures.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => _app.Queue.Settled, TimeSpan.FromSeconds(10), "the empty body is split");
        Assert.Equal(0, _app.Queue.Events);
    }

    [Fact]
    public async Task A_200_means_the_body_is_already_in_the_queue_file()
    {
        var body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "hello"));

        using var response = await _app.PostLineAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _app.Queue.Bodies); // read through a separate connection, right after the answer
    }

    [Fact]
    public async Task Health_and_metrics_answer_with_the_contract_names()
    {
        using var health = await _app.Client.GetAsync("/healthz");
        await _app.PostLineAsync(LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping")));
        await _line.WaitForAcceptedAsync(1, TimeSpan.FromSeconds(20));
        var metrics = await _app.Client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var name in new[]
        {
            "botengine_queue_depth{state=\"done\"}", "botengine_webhooks_total{channel=\"line\",result=\"accepted\"}",
            "botengine_events_total{channel=\"line\",result=\"received\"}", "botengine_outbound_calls_total",
            "botengine_dead_letters", "botengine_processing_seconds_bucket",
        })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/webhooks/line")]  // answered before routing (WebhookFastPath)
    [InlineData("/webhooks/line/")] // these two by the mapped endpoint
    [InlineData("/webhooks/LINE")]
    public async Task Each_path_to_the_webhook_answers_alike(string path)
    {
        var body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "hello"));

        // (The body limit on the fast path: Body_over_the_limit_is_413 posts there, also chunked.)
        using var unsigned = await PostAsync(path, body, LineFixtures.Sign("another-secret", body));
        Assert.Equal(0, _app.Queue.Bodies);
        using var signed = await PostAsync(path, body, LineFixtures.Sign(BotEngineApp.ChannelSecret, body));
        using var get = await _app.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.MethodNotAllowed),
            (unsigned.StatusCode, signed.StatusCode, get.StatusCode));
        Assert.Equal(1, _app.Queue.Bodies);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string signature)
    {
        using var content = new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Line-Signature", signature);
        return await _app.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendChunkedAsync(byte[] body)
    {
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/line") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Line-Signature", LineFixtures.Sign(BotEngineApp.ChannelSecret, body));
        return await _app.Client.SendAsync(request);
    }

    [Fact]
    public async Task Signature_is_checked_over_the_raw_bytes()
    {
        var body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "héllo"));
        var reencoded = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"events\"", "\"events\" ", StringComparison.Ordinal));

        using var response = await _app.PostLineAsync(reencoded, LineFixtures.Sign(BotEngineApp.ChannelSecret, body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
