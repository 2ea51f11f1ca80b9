using System.Net;
using BotEngine.Channels.Messenger;
using BotEngine.Tests.Support;
using static BotEngine.Tests.Channels.Messenger.MessengerFixtures;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary><c>GET</c> and <c>POST /webhooks/messenger</c>: the handshake, the signature, what is stored and answered.</summary>
public sealed class MessengerWebhookTests : MessengerTest
{
    [Fact]
    public async Task Verify_handshake_echoes_the_challenge_only_for_the_verify_token()
    {
        await StartMessengerAsync();

        using var ok = await Handshake("subscribe", FakeGraphApi.VerifyToken, "1158201444");
        using var wrongToken = await Handshake("subscribe", "guess", "1158201444");
        using var wrongMode = await Handshake("unsubscribe", FakeGraphApi.VerifyToken, "1158201444");
        using var noToken = await App.Client.GetAsync(new Uri("/webhooks/messenger?hub.mode=subscribe&hub.challenge=7", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            [wrongToken.StatusCode, wrongMode.StatusCode, noToken.StatusCode]);
    }

    [Fact]
    public async Task Both_endpoints_are_404_and_nothing_is_stored_without_the_app_secret_and_page_token()
    {
        Start();

        using var handshake = await Handshake("subscribe", FakeGraphApi.VerifyToken, "1");
        using var post = await PostBodyAsync(App.Client, Body(Text(NewPsid(), "ping")));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (handshake.StatusCode, post.StatusCode));
        Assert.Equal(0, App.Queue.Bodies);
    }

    [Fact]
    public async Task Missing_wrong_or_legacy_signature_is_401_and_nothing_is_stored()
    {
        await StartMessengerAsync();
        var body = Body(Text(NewPsid(), "ping"));
        var tampered = Body(Text(NewPsid(), "pong"));

        using var wrongSecret = await PostBodyAsync(App.Client, body, MessengerSignature.Sign("another-app-secret", body));
        using var otherBody = await PostBodyAsync(App.Client, body, MessengerSignature.Sign(FakeGraphApi.AppSecret, tampered));
        using var sha1 = await PostBodyAsync(App.Client, body, "sha1=0123456789abcdef0123456789abcdef01234567");
        using var missing = await PostBodyAsync(App.Client, body, "");

        Assert.All(new[] { wrongSecret, otherBody, sha1, missing }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, App.Queue.Bodies);
        Assert.Equal(4, await App.MetricAsync("botengine_webhooks_total{channel=\"messenger\",result=\"unauthorized\"}"));
    }

    [Fact]
    public async Task Malformed_item_is_dead_lettered_while_its_neighbours_are_answered()
    {
        await StartMessengerAsync();
        var (first, second) = (NewPsid(), NewPsid());

        await PostItemsAsync(Text(first, "ping"), """{"sender":{"id":"42"},"timestamp":1}""", Text(second, "ping"));

        var sent = await SentWhenSettledAsync();
        Assert.Equal(new[] { first, second }.Order(), sent.Select(s => s.Psid).Order());
        var dead = Assert.Single(App.Queue.EventRows(), r => r.State == 3);
        Assert.Contains("item 1", dead.Error, StringComparison.Ordinal);
        Assert.Contains("recipient.id", dead.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echoes_and_receipts_are_stored_but_not_answered()
    {
        await StartMessengerAsync();
        var user = NewPsid();

        await PostItemsAsync(Echo(user, "an answer of the page"), Delivery(user, Now), Read(user, Now), Text(user, "count"));

        var answer = Assert.Single(await SentWhenSettledAsync());
        Assert.Contains("#1", answer.Text, StringComparison.Ordinal);
        Assert.Equal(3, App.Queue.EventRows().Count(r => r.Outcome == "standby"));
        // The echo's sender is the page: it still belongs to the user's conversation.
        Assert.Equal(4, App.Queue.Scalar($"SELECT COUNT(*) FROM events WHERE lane = 'messenger:{FakeGraphApi.PageId}:{user}'"));
    }

    private Task<HttpResponseMessage> Handshake(string mode, string token, string challenge) => App.Client.GetAsync(
        new Uri($"/webhooks/messenger?hub.mode={mode}&hub.verify_token={token}&hub.challenge={challenge}", UriKind.Relative));
}
