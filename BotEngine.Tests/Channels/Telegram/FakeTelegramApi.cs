using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace BotEngine.Tests.Channels.Telegram;

/// <summary>
/// The Bot API on loopback: sendMessage, answerCallbackQuery, setWebhook and getWebhookInfo. Checks the token in the
/// path and records what it accepts.
/// </summary>
public sealed class FakeTelegramApi : IAsyncDisposable
{
    public const string Token = "123456:fake-telegram-bot-token";
    private readonly List<(string ChatId, JsonNode Body)> _sent = [];
    private readonly List<string> _answeredCallbacks = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _statuses = [];
    private readonly Random _random = new(20260102);
    private readonly LoopbackListener _listener;
    private int _throttleNext;
    private double _failureRate;
    private JsonObject? _webhook;

    public string BaseUrl => _listener.BaseUrl;

    public IReadOnlyList<(string ChatId, JsonNode Body)> Sent { get { lock (_gate) return _sent.ToArray(); } }

    /// <summary>The ids of the callback queries answered, in order.</summary>
    public IReadOnlyList<string> AnsweredCallbacks { get { lock (_gate) return _answeredCallbacks.ToArray(); } }

    /// <summary>The last setWebhook body accepted, or null.</summary>
    public JsonObject? Webhook { get { lock (_gate) return (JsonObject?)_webhook?.DeepClone(); } }

    public int Throttled { get; private set; }

    /// <summary>What getWebhookInfo reports as waiting.</summary>
    public int PendingUpdates { get; set; }

    /// <summary>Fraction (0..1) of sendMessage requests refused with 429 (retry_after 1) or a 500.</summary>
    public double FailureRate { get { lock (_gate) return _failureRate; } set { lock (_gate) _failureRate = value; } }

    /// <summary>sendMessage requests answered with <paramref name="status"/>.</summary>
    public int Requests(int status) { lock (_gate) return _statuses.GetValueOrDefault(status); }

    /// <summary>The next <paramref name="count"/> sendMessage requests answer 429 with parameters.retry_after = 1.</summary>
    public void ThrottleNext(int count) { lock (_gate) _throttleNext = count; }

    private FakeTelegramApi() => _listener = new LoopbackListener(HandleAsync);

    public static async Task<FakeTelegramApi> StartAsync()
    {
        var fake = new FakeTelegramApi();
        await fake.GoOnlineAsync();
        return fake;
    }

    /// <summary>Stops listening: connections are refused until <see cref="GoOnlineAsync"/>.</summary>
    public Task GoOfflineAsync() => _listener.GoOfflineAsync();

    /// <summary>Listens (again, on the same port once it had one).</summary>
    public Task GoOnlineAsync() => _listener.GoOnlineAsync();

    public Task WaitForSentAsync(int count, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Sent.Count >= count, timeout, $"{count} messages sent");

    public async ValueTask DisposeAsync() => await GoOfflineAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var prefix = $"/bot{Token}/";
        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await Answer(http, 401, Failure(401, "Unauthorized"));
            return;
        }

        var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        var (status, answer) = path[prefix.Length..] switch
        {
            "sendMessage" => SendMessage(body),
            "answerCallbackQuery" => Locked(() => _answeredCallbacks.Add(body["callback_query_id"]!.GetValue<string>()), Ok(true)),
            "setWebhook" => SetWebhook(body),
            "getWebhookInfo" => (200, Ok(WebhookInfo())),
            _ => (404, Failure(404, "Not Found")),
        };
        await Answer(http, status, answer);
    }

    private (int, JsonObject) SendMessage(JsonObject body)
    {
        lock (_gate)
        {
            var (status, answer) = Decide(body);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
            return (status, answer);
        }
    }

    // Caller holds _gate.
    private (int, JsonObject) Decide(JsonObject body)
    {
        var failing = _failureRate > 0 && _random.NextDouble() < _failureRate;
        if (_throttleNext > 0 || (failing && _random.Next(2) == 0))
        {
            _throttleNext = Math.Max(0, _throttleNext - 1);
            Throttled++;
            var throttled = Failure(429, "Too Many Requests: retry after 1");
            throttled["parameters"] = new JsonObject { ["retry_after"] = 1 };
            return (429, throttled);
        }

        if (failing) return (500, Failure(500, "Internal Server Error"));
        _sent.Add((body["chat_id"]!.GetValue<string>(), body));
        return (200, Ok(new JsonObject { ["message_id"] = _sent.Count }));
    }

    private (int, JsonObject) SetWebhook(JsonObject body)
    {
        if (body["url"]?.GetValue<string>() is not { } url || !url.StartsWith("https://", StringComparison.Ordinal))
            return (400, Failure(400, "Bad Request: bad webhook: HTTPS url must be provided for webhook"));
        lock (_gate) _webhook = (JsonObject)body.DeepClone();
        var answer = Ok(true);
        answer["description"] = "Webhook was set";
        return (200, answer);
    }

    private JsonObject WebhookInfo()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["url"] = _webhook?["url"]?.GetValue<string>() ?? "",
                ["has_custom_certificate"] = false,
                ["pending_update_count"] = PendingUpdates,
                ["max_connections"] = _webhook?["max_connections"]?.GetValue<int>() ?? 40,
                ["allowed_updates"] = _webhook?["allowed_updates"]?.DeepClone(),
                ["last_error_date"] = 1_767_225_600, // 2026-01-01 00:00:00Z
                ["last_error_message"] = "Read timeout expired",
            };
        }
    }

    private (int, JsonObject) Locked(Action record, JsonObject answer)
    {
        lock (_gate) record();
        return (200, answer);
    }

    private static JsonObject Ok(JsonNode result) => new() { ["ok"] = true, ["result"] = result };

    private static JsonObject Failure(int code, string description) =>
        new() { ["ok"] = false, ["error_code"] = code, ["description"] = description };

    private static async Task Answer(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(JsonSerializerOptions.Default));
    }
}
