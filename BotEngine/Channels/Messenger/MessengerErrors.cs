using System.Net;
using System.Text.Json;
using BotEngine.Channels.Messenger.Dto;
using BotEngine.Outbound.Transport;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Turns a Send API answer into a <see cref="SendOutcome"/>. The Graph API says what went wrong in the body's
/// <c>error.code</c> and <c>error_subcode</c>, mostly with HTTP 400 or 403, so the codes decide, not the status:
/// <list type="bullet">
/// <item>Rate limits, backed off: 4 (app), 17 (user), 32 (page), 341 (application limit), 613 (custom limit;
/// Messenger's "Calls to this API have exceeded the rate limit"), 80001–80014 (business use case limits, 80006 being
/// Messenger's). The wait is <c>Retry-After</c> (seconds or an HTTP-date) or the largest <c>estimated_time_to_regain_access</c> (minutes) of
/// <c>X-Business-Use-Case-Usage</c> when given, else the queue's backoff.</item>
/// <item>Temporary, retried: 1 (unknown), 2 (service unavailable), 1200 ("Temporary send message failure"), any error
/// marked <c>is_transient</c>, and 5xx (which the outage circuit also counts).</item>
/// <item>10 with subcode 2018278 (or 2534022): "sent outside of allowed window", refused for good.</item>
/// <item>Every other error (100/2018001 no such user, 551/1545041 person unavailable, 190 bad token…) is
/// refused.</item>
/// </list>
/// Sources: Meta's Messenger Platform error codes and Graph API rate limiting pages.
/// </summary>
internal static class MessengerErrors
{
    private static readonly HashSet<int> RateLimitCodes = [4, 17, 32, 341, 613];
    private static readonly HashSet<int> TemporaryCodes = [1, 2, 1200];
    private static readonly HashSet<int> WindowSubcodes = [2018278, 2534022];

    public static async Task<SendOutcome> ToOutcomeAsync(
        HttpResponseMessage response, TimeProvider clock, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return SendOutcome.Ok;

        var error = await ReadAsync(response, ct);
        var text = $"messenger send {(int)response.StatusCode}: "
            + (error is null ? response.ReasonPhrase : $"({error.Code}/{error.ErrorSubcode}) {error.Message}");
        return Classify(response.StatusCode, error) switch
        {
            Kind.OutsideWindow => new SendOutcome.Rejected("outside Messenger's 24-hour window: " + text),
            Kind.RateLimit => new SendOutcome.RetryLater(RetryAfter(response.Headers, clock), text),
            Kind.Temporary => new SendOutcome.RetryLater(RetryAfter(response.Headers, clock), text),
            _ => new SendOutcome.Rejected(text),
        };
    }

    public enum Kind
    {
        RateLimit,
        Temporary,
        OutsideWindow,
        Refused,
    }

    public static Kind Classify(HttpStatusCode status, GraphError? error) => error switch
    {
        { ErrorSubcode: { } sub } when WindowSubcodes.Contains(sub) => Kind.OutsideWindow,
        { Code: 10, Message: { } m } when m.Contains("outside of allowed window", StringComparison.OrdinalIgnoreCase) =>
            Kind.OutsideWindow,
        { Code: { } code } when RateLimitCodes.Contains(code) || code is >= 80001 and <= 80014 => Kind.RateLimit,
        _ when status == HttpStatusCode.TooManyRequests => Kind.RateLimit,
        { Code: { } code } when TemporaryCodes.Contains(code) => Kind.Temporary,
        { IsTransient: true } => Kind.Temporary,
        _ when status >= HttpStatusCode.InternalServerError => Kind.Temporary,
        _ => Kind.Refused,
    };

    /// <summary>
    /// <c>Retry-After</c> (seconds or an HTTP-date), else the largest <c>estimated_time_to_regain_access</c> (minutes) of
    /// <c>X-Business-Use-Case-Usage</c>: <c>{"PAGE_ID":[{"type":"messenger",…,"estimated_time_to_regain_access":5}]}</c>.
    /// </summary>
    public static TimeSpan? RetryAfter(System.Net.Http.Headers.HttpResponseHeaders headers, TimeProvider clock)
    {
        if (RetryAfterHeader.Wait(headers, clock) is { } wait) return wait;
        if (!headers.TryGetValues("X-Business-Use-Case-Usage", out var values)) return null;
        var minutes = 0;
        try
        {
            foreach (var value in values)
            {
                using var usage = JsonDocument.Parse(value);
                if (usage.RootElement.ValueKind != JsonValueKind.Object) continue;
                var limits = usage.RootElement.EnumerateObject()
                    .Where(e => e.Value.ValueKind == JsonValueKind.Array)
                    .SelectMany(e => e.Value.EnumerateArray())
                    .Where(l => l.ValueKind == JsonValueKind.Object);
                foreach (var limit in limits)
                {
                    if (limit.TryGetProperty("estimated_time_to_regain_access", out var m) && m.TryGetInt32(out var n))
                    {
                        minutes = Math.Max(minutes, n);
                    }
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return minutes > 0 ? TimeSpan.FromMinutes(minutes) : null;
    }

    private static async Task<GraphError?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync(SendApiJson.Default.GraphErrorBody, ct))?.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
