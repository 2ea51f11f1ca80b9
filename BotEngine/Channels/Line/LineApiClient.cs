using System.Text.Json;
using BotEngine.Channels.Line.Dto;
using BotEngine.Outbound;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BotEngine.Channels.Line;

/// <summary>
/// The Messaging API over the typed <see cref="HttpClient"/> that <see cref="LineRegistration"/> builds (base address,
/// bearer token, rate limiter, attempt timeout). One HTTP attempt per call; every platform answer becomes a
/// <see cref="SendOutcome"/>, nothing is thrown for it.
/// </summary>
internal sealed class LineApiClient(HttpClient http, TimeProvider clock, ILogger<LineApiClient> logger) : ILineApi
{
    public const string ReplyPath = "v2/bot/message/reply";
    public const string PushPath = "v2/bot/message/push";
    public const string RetryKeyHeader = "X-Line-Retry-Key";
    private const string RequestIdHeader = "x-line-request-id";
    private const string AcceptedRequestIdHeader = "x-line-accepted-request-id";
    private const string InvalidReplyToken = "Invalid reply token";
    private const int MaxMessages = 5;
    private const int MaxErrorChars = 500;

    public Task<SendOutcome> ReplyAsync(
        string replyToken, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(replyToken);
        var body = new ReplyMessageRequest(replyToken, ToLine(messages));
        // No retry key: LINE answers 400 to it on reply, and a reply token is single-use anyway.
        var request = new HttpRequestMessage(HttpMethod.Post, ReplyPath)
        {
            Content = JsonContent.Create(body, MessagingApiJson.Default.ReplyMessageRequest),
        };
        return SendAsync(request, "reply", ct);
    }

    public Task<SendOutcome> PushAsync(
        string recipient, IReadOnlyList<OutboundMessage> messages, Guid retryKey, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipient);
        if (retryKey == Guid.Empty) throw new ArgumentException("A push needs a retry key.", nameof(retryKey));
        var body = new PushMessageRequest(recipient, ToLine(messages));
        var request = new HttpRequestMessage(HttpMethod.Post, PushPath)
        {
            Content = JsonContent.Create(body, MessagingApiJson.Default.PushMessageRequest),
        };
        request.Headers.Add(RetryKeyHeader, retryKey.ToString("D"));
        return SendAsync(request, "push", ct);
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

    private async Task<SendOutcome> SendAsync(HttpRequestMessage request, string endpoint, CancellationToken ct)
    {
        using var _ = request;
        try
        {
            // ResponseContentRead (the default) buffers the small JSON answer, so reading it below cannot fail.
            using var response = await http.SendAsync(request, ct);
            return await ToOutcomeAsync(response, endpoint, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the caller gave up (shutdown); that is not an answer from LINE
        }
        catch (TimeoutRejectedException e)
        {
            return Unknown(endpoint, $"no answer within {Operations.Durations.Readable(e.Timeout)}");
        }
        catch (RateLimiterRejectedException e)
        {
            // Only when the local queue of waiting requests is full; nothing was sent.
            logger.LogWarning("LINE {Endpoint} not sent: local rate limiter queue is full", endpoint);
            return new SendOutcome.RetryLater(e.RetryAfter, $"line {endpoint}: local rate limiter queue is full");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return Unknown(endpoint, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private SendOutcome.Unknown Unknown(string endpoint, string error)
    {
        logger.LogWarning("LINE {Endpoint} outcome unknown: {Error}", endpoint, error);
        return new SendOutcome.Unknown($"line {endpoint}: {error}");
    }

    private async Task<SendOutcome> ToOutcomeAsync(HttpResponseMessage response, string endpoint, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var requestId = Header(response, RequestIdHeader);
        if (response.IsSuccessStatusCode)
        {
            logger.LogDebug("LINE {Endpoint} accepted ({Status}, request {RequestId})", endpoint, status, requestId);
            return SendOutcome.Ok;
        }
        if (status == 409 && endpoint == "push")
        {
            // The retry key was already accepted: LINE sent the messages on an earlier attempt.
            logger.LogInformation("LINE push already accepted as request {AcceptedRequestId}",
                Header(response, AcceptedRequestIdHeader));
            return SendOutcome.Ok;
        }

        var lineMessage = await ReadErrorAsync(response, ct);
        var error = $"line {endpoint} {status}: {lineMessage}";
        logger.LogWarning("LINE {Endpoint} answered {Status}: {LineMessage} (request {RequestId})",
            endpoint, status, lineMessage, requestId);
        return status switch
        {
            400 when lineMessage.Contains(InvalidReplyToken, StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.InvalidReplyToken(error),
            429 or >= 500 => new SendOutcome.RetryLater(RetryAfter(response), error),
            _ => new SendOutcome.Rejected(error),
        };
    }

    // LINE documents no Retry-After or X-RateLimit headers on its 429s; honour it if a proxy or a future API version does.
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            var body = JsonSerializer.Deserialize(text, MessagingApiJson.Default.ErrorResponse);
            if (body?.Message is { } message)
            {
                var details = body.Details?.Select(d => $"{d.Property}: {d.Message}") ?? [];
                return string.Join("; ", details.Prepend(message));
            }
        }
        catch (JsonException)
        {
            // Not LINE's JSON (a proxy's HTML page, say): keep the start of the raw text.
        }
        return text.Length <= MaxErrorChars ? text : text[..MaxErrorChars];
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
