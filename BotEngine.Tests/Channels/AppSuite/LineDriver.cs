using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

/// <summary>
/// LINE on <see cref="FakeLineApi"/> (the engine's test fake, already wired by <see cref="BotEngineApp"/>): one body
/// carries many events, each with its <c>webhookEventId</c>; a redelivery sets <c>deliveryContext.isRedelivery</c>.
/// An answer goes by reply (its token names no user, the queue does) or by push.
/// </summary>
public sealed class LineDriver(FakeLineApi line) : ChannelDriver
{
    public override string Name => "line";

    public override IReadOnlyList<(string Key, string Value)> Settings => [];

    public override string NewUser() => LineFixtures.NewUserId();

    public override IReadOnlyList<byte[]> Bodies(IReadOnlyList<(string User, string Text)> events) =>
        [LineFixtures.Body([.. events.Select(e => LineFixtures.TextEvent(e.User, e.Text))])];

    public override byte[] Redelivered(byte[] body) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body)
        .Replace("\"isRedelivery\":false", "\"isRedelivery\":true", StringComparison.Ordinal));

    public override async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body, Forgery forgery = Forgery.None)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/line") { Content = content };
        if (forgery != Forgery.NoSignature)
        {
            var secret = forgery == Forgery.WrongSecret ? "another-channel-secret" : BotEngineApp.ChannelSecret;
            request.Headers.TryAddWithoutValidation("X-Line-Signature", LineFixtures.Sign(secret, body));
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public override IReadOnlyList<string> AnswersTo(string user, QueueFile queue) =>
        [.. line.Accepted.Where(a => a.IsTo(user, queue)).Select(a => a.Text)];

    public override int AnswerCount => line.Accepted.Count;

    public override double FailureRate { set => line.FailureRate = value; }

    public override bool SawRateLimitsAndServerErrors =>
        line.Requests(FakeLineApi.Reply, 429) + line.Requests(FakeLineApi.Push, 429) > 0
        && line.Requests(FakeLineApi.Reply, 500) + line.Requests(FakeLineApi.Push, 500) > 0;

    public override Task GoOfflineAsync() => line.GoOfflineAsync();

    public override Task GoOnlineAsync() => line.GoOnlineAsync();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask; // the test owns the fake LINE API
}
