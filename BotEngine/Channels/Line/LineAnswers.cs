using System.Text.Json;
using BotEngine.Channels.Line.Dto;
using BotEngine.Outbound.Transport;

namespace BotEngine.Channels.Line;

/// <summary>What one Messaging API answer means: accepted, an invalid reply token, a rate or quota 429, ...</summary>
internal sealed class LineAnswers(TimeProvider clock, ILogger logger)
{
    private const string RequestIdHeader = "x-line-request-id";
    private const string AcceptedRequestIdHeader = "x-line-accepted-request-id";
    private const string InvalidReplyToken = "Invalid reply token";
    // LINE answers a used-up monthly quota with 429 and this message, a rate limit with 429 "Too many requests".
    private const string MonthlyLimit = "monthly limit";
    private const int MaxErrorChars = 500;

    public async Task<SendOutcome> ToOutcomeAsync(HttpResponseMessage response, string endpoint, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var requestId = Header(response, RequestIdHeader);
        if (response.IsSuccessStatusCode)
        {
            logger.LogDebug("LINE {Endpoint} accepted ({Status}, request {RequestId})", endpoint, status, requestId);
            return SendOutcome.Ok;
        }
        if (status == 409 && endpoint is "push" or "multicast")
        {
            // The retry key was already accepted: LINE sent the messages on an earlier attempt.
            logger.LogInformation("LINE {Endpoint} already accepted as request {AcceptedRequestId}", endpoint,
                Header(response, AcceptedRequestIdHeader));
            return SendOutcome.Ok;
        }

        var (lineMessage, property) = await ReadErrorAsync(response, ct);
        var error = $"line {endpoint} {status}: {lineMessage}";
        logger.LogWarning("LINE {Endpoint} answered {Status}: {LineMessage} (request {RequestId})",
            endpoint, status, lineMessage, requestId);
        return status switch
        {
            400 when lineMessage.Contains(InvalidReplyToken, StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.InvalidReplyToken(error),
            429 when lineMessage.Contains(MonthlyLimit, StringComparison.OrdinalIgnoreCase) =>
                new SendOutcome.QuotaExhausted(error),
            // LINE documents no Retry-After or X-RateLimit headers on its 429s; honour one a proxy or a future API
            // version sends.
            429 or >= 500 => new SendOutcome.RetryLater(RetryAfterHeader.Wait(response.Headers, clock), error),
            _ => new SendOutcome.Rejected(error, property),
        };
    }

    private static async Task<(string Message, string? Property)> ReadErrorAsync(
        HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            var body = JsonSerializer.Deserialize(text, MessagingApiJson.Default.ErrorResponse);
            if (body?.Message is { } message)
            {
                var details = body.Details?.Select(d => $"{d.Property}: {d.Message}") ?? [];
                return (string.Join("; ", details.Prepend(message)), body.Details is [var first, ..] ? first.Property : null);
            }
        }
        catch (JsonException)
        {
            // Not LINE's JSON (a proxy's HTML page, say): keep the start of the raw text.
        }
        return (text.Length <= MaxErrorChars ? text : text[..MaxErrorChars], null);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
