using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Tests.Channels.Telegram;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

/// <summary>
/// Telegram on <see cref="FakeTelegramApi"/>: one update per request (a "body" here is one update), each with its
/// <c>update_id</c>; Telegram resends the same update. The shared secret comes as a plain header, not a signature.
/// The Bot API has no idempotency key and the engine resends a send whose answer was lost, so a cut after the request
/// was written may double an answer: the suite injects no such fault here (only refusals: 429, 500, refused
/// connections), and after a kill -9 it allows the one send in flight to show twice. The engine keeps Telegram's
/// limit of about one message a second per chat, so one chat's 30 messages take about 27 s.
/// </summary>
public sealed class TelegramDriver(FakeTelegramApi telegram) : ChannelDriver
{
    private const string Secret = "telegram-secret_token-1";
    private static long s_nextUpdate = Random.Shared.Next(1, 1_000_000_000);

    public override string Name => "telegram";

    public override IReadOnlyList<(string Key, string Value)> Settings =>
    [
        ("Channels:Telegram:BotToken", FakeTelegramApi.Token), ("Channels:Telegram:SecretToken", Secret),
        ("Channels:Telegram:ApiBaseUrl", telegram.BaseUrl),
    ];

    public override TimeSpan Deadline => TimeSpan.FromSeconds(60);

    public override bool ResendsAnAmbiguousSend => true;

    public override string NewUser() =>
        Random.Shared.NextInt64(100_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture);

    public override IReadOnlyList<byte[]> Bodies(IReadOnlyList<(string User, string Text)> events) =>
        [.. events.Select(e => Update(Interlocked.Increment(ref s_nextUpdate), long.Parse(e.User, CultureInfo.InvariantCulture), e.Text))];

    public override async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body, Forgery forgery = Forgery.None)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = content };
        if (forgery != Forgery.NoSignature)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", forgery == Forgery.WrongSecret ? "wrong" : Secret);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public override IReadOnlyList<string> AnswersTo(string user, QueueFile queue) =>
        [.. telegram.Sent.Where(s => s.ChatId == user).Select(s => s.Body["text"]!.GetValue<string>())];

    public override int AnswerCount => telegram.Sent.Count;

    public override double FailureRate { set => telegram.FailureRate = value; }

    public override bool SawRateLimitsAndServerErrors => telegram.Requests(429) > 0 && telegram.Requests(500) > 0;

    public override Task GoOfflineAsync() => telegram.GoOfflineAsync();

    public override Task GoOnlineAsync() => telegram.GoOnlineAsync();

    public override ValueTask DisposeAsync() => telegram.DisposeAsync();

    // A private chat's text message as the Bot API's Update object shows it (core.telegram.org/bots/api#update).
    private static byte[] Update(long updateId, long chat, string text) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["update_id"] = updateId,
        ["message"] = new JsonObject
        {
            ["message_id"] = updateId,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "private" },
            ["from"] = new JsonObject { ["id"] = chat, ["is_bot"] = false, ["first_name"] = "Test" },
            ["text"] = text,
        },
    }.ToJsonString());
}
