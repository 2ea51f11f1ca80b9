using System.Globalization;
using BotEngine.Operations;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BotEngine.Outbound;

/// <summary>
/// Counts every call to a platform API in <c>botengine_outbound_calls_total{endpoint,status}</c>: the HTTP status, or
/// <c>timeout</c>, <c>rejected</c> (local rate limiter), <c>canceled</c> (shutdown), <c>error</c> (no answer).
/// It sits outside the resilience handler, so the timeout and rate limiter show as such. The channel names the
/// endpoint from the request's address, never putting a user id or a token (Telegram's is in its paths) in a label.
/// </summary>
internal sealed class OutboundCallCounter(EngineMetrics metrics, Func<Uri?, string> endpointOf) : DelegatingHandler
{
    private const string LineMessagePrefix = "/v2/bot/message/";

    private static readonly HashSet<string> LineEndpoints =
        new(["reply", "push", "multicast", "narrowcast", "broadcast", "quota", "quota/consumption"], StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var endpoint = endpointOf(request.RequestUri);
        var status = "error"; // unless one of the answers below is known
        try
        {
            var response = await base.SendAsync(request, ct);
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            return response;
        }
        catch (TimeoutRejectedException)
        {
            status = "timeout";
            throw;
        }
        catch (RateLimiterRejectedException)
        {
            status = "rejected";
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            status = "canceled";
            throw;
        }
        finally
        {
            metrics.Outbound(endpoint, status);
        }
    }

    /// <summary>LINE: <c>reply</c>, <c>push</c>, ... from the path; anything else is <c>other</c>.</summary>
    public static string LineEndpoint(Uri? uri)
    {
        // HttpClient has made the address absolute (base address + relative path) before any handler runs.
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : "";
        var start = path.IndexOf(LineMessagePrefix, StringComparison.Ordinal);
        if (start < 0) return "other";
        var name = path[(start + LineMessagePrefix.Length)..].TrimEnd('/');
        return LineEndpoints.Contains(name) ? name : "other";
    }

    /// <summary>Telegram: the method after the token (<c>sendMessage</c>), as <c>telegram.sendMessage</c>.</summary>
    public static string TelegramEndpoint(Uri? uri)
    {
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : "";
        return path.EndsWith("/sendMessage", StringComparison.Ordinal) ? "telegram.sendMessage"
            : path.EndsWith("/answerCallbackQuery", StringComparison.Ordinal) ? "telegram.answerCallbackQuery"
            : "telegram.other";
    }
}
