using System.Net;
using BotEngine.Channels.Messenger;
using BotEngine.Tests.Channels.Messenger;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

/// <summary>
/// Messenger on <see cref="FakeGraphApi"/>: one body carries many <c>messaging</c> items, each with its
/// <c>message.mid</c>; Meta redelivers the same bytes. The Send API has no idempotency key: a send whose answer was
/// lost is counted uncertain and not sent again. Rate limits are error 613 (HTTP 400).
/// </summary>
public sealed class MessengerDriver(FakeGraphApi graph) : ChannelDriver
{
    public override string Name => "messenger";

    public override IReadOnlyList<(string Key, string Value)> Settings => graph.Settings;

    public override string NewUser() => MessengerFixtures.NewPsid();

    public override IReadOnlyList<byte[]> Bodies(IReadOnlyList<(string User, string Text)> events) =>
        [MessengerFixtures.Body([.. events.Select(e => MessengerFixtures.Text(e.User, e.Text))])];

    public override async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body, Forgery forgery = Forgery.None)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/messenger") { Content = content };
        if (forgery != Forgery.NoSignature)
        {
            var secret = forgery == Forgery.WrongSecret ? "another-app-secret" : FakeGraphApi.AppSecret;
            request.Headers.TryAddWithoutValidation(MessengerSignature.Header, MessengerSignature.Sign(secret, body));
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public override IReadOnlyList<string> AnswersTo(string user, QueueFile queue) =>
        [.. graph.Sent.Where(s => s.Psid == user).Select(s => s.Text)];

    public override int AnswerCount => graph.Sent.Count;

    public override double FailureRate { set => graph.FailureRate = value; }

    public override bool SawRateLimitsAndServerErrors => graph.Requests(400) > 0 && graph.Requests(500) > 0;

    public override Task GoOfflineAsync() => graph.GoOfflineAsync();

    public override Task GoOnlineAsync() => graph.GoOnlineAsync();

    public override ValueTask DisposeAsync() => graph.DisposeAsync();
}
