using System.Text.Json;
using BotEngine.Channels.Line.Dto;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;

namespace BotEngine.Channels.Line;

/// <summary>
/// The Messaging API over the typed <see cref="HttpClient"/> that <see cref="LineRegistration"/> builds (base address,
/// bearer token, rate limiter, circuit breaker, attempt timeout). One HTTP attempt per call; every platform answer
/// becomes a <see cref="SendOutcome"/> (<see cref="LineAnswers"/>), nothing is thrown for it. Bodies are
/// <see cref="MarkedContent"/>, so a failure tells whether the request can have reached LINE.
/// </summary>
internal sealed class LineApiClient(
    HttpClient http, PlatformCircuits circuits, TimeProvider clock, ILogger<LineApiClient> logger) : ILineApi
{
    public const string ReplyPath = "v2/bot/message/reply";
    public const string PushPath = "v2/bot/message/push";
    public const string MulticastPath = "v2/bot/message/multicast";
    public const string RetryKeyHeader = "X-Line-Retry-Key";
    public const int MaxMessages = 5;
    public const int MaxMulticastRecipients = 500;

    private readonly LineAnswers _answers = new(clock, logger);
    private readonly PlatformCall _call = new(http, circuits, LineChannel.Id.Name);

    public Task<SendOutcome> ReplyAsync(
        string replyToken, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(replyToken);
        var body = JsonSerializer.SerializeToUtf8Bytes(new ReplyMessageRequest(replyToken, ToLine(messages)),
            MessagingApiJson.Default.ReplyMessageRequest);
        // No retry key: LINE answers 400 to it on reply, and a reply token is single-use anyway.
        return SendAsync(ReplyPath, body, null, "reply", ct);
    }

    public Task<SendOutcome> PushAsync(
        string recipient, IReadOnlyList<OutboundMessage> messages, Guid retryKey, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipient);
        var body = JsonSerializer.SerializeToUtf8Bytes(new PushMessageRequest(recipient, ToLine(messages)),
            MessagingApiJson.Default.PushMessageRequest);
        return SendAsync(PushPath, body, retryKey, "push", ct);
    }

    public Task<SendOutcome> MulticastAsync(
        IReadOnlyList<string> to, string messagesJson, Guid retryKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (to.Count is < 1 or > MaxMulticastRecipients)
        {
            throw new ArgumentException($"A multicast goes to 1 to {MaxMulticastRecipients} users, not {to.Count}.", nameof(to));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("to");
            foreach (var user in to) json.WriteStringValue(user);
            json.WriteEndArray();
            json.WritePropertyName("messages");
            json.WriteRawValue(messagesJson);
            json.WriteEndObject();
        }

        return SendAsync(MulticastPath, buffer.ToArray(), retryKey, "multicast", ct);
    }

    private static LineMessage[] ToLine(IReadOnlyList<OutboundMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count is < 1 or > MaxMessages)
        {
            throw new ArgumentException(
                $"LINE takes 1 to {MaxMessages} messages per request, not {messages.Count}.", nameof(messages));
        }
        return [.. messages.Select(LineMessages.ToLine)];
    }

    private async Task<SendOutcome> SendAsync(string path, byte[] body, Guid? retryKey, string endpoint, CancellationToken ct)
    {
        if (retryKey == Guid.Empty) throw new ArgumentException($"A {endpoint} needs a retry key.", nameof(retryKey));
        using var content = new MarkedContent(body, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (retryKey is { } key) request.Headers.Add(RetryKeyHeader, key.ToString("D"));
        return await _call.SendAsync(request, $"line {endpoint}",
            (response, token) => _answers.ToOutcomeAsync(response, endpoint, token),
            outcome => logger.LogWarning("LINE {Endpoint}: {Outcome}", endpoint, outcome), ct);
    }
}
