using System.Globalization;
using BotEngine.Operations;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BotEngine.Channels.Line;

/// <summary>
/// Counts every Messaging API call in <c>botengine_outbound_calls_total{endpoint,status}</c>: the HTTP status, or
/// <c>timeout</c>, <c>rejected</c> (local rate limiter), <c>canceled</c> (shutdown), <c>error</c> (no answer).
/// It sits outside the resilience handler, so the timeout and rate limiter show as such.
/// </summary>
internal sealed class LineCallCounter(EngineMetrics metrics) : DelegatingHandler
{
    private const string MessagePrefix = "/v2/bot/message/";

    private static readonly HashSet<string> KnownEndpoints =
        new(["reply", "push", "multicast", "narrowcast", "broadcast"], StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var endpoint = Endpoint(request.RequestUri);
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

    /// <summary><c>reply</c>, <c>push</c>, ... from the path; anything else is <c>other</c>, so user ids in a path
    /// never become label values.</summary>
    public static string Endpoint(Uri? uri)
    {
        // HttpClient has made the address absolute (base address + relative path) before any handler runs.
        var path = uri is { IsAbsoluteUri: true } ? uri.AbsolutePath : "";
        var start = path.IndexOf(MessagePrefix, StringComparison.Ordinal);
        if (start < 0) return "other";
        var name = path[(start + MessagePrefix.Length)..].TrimEnd('/');
        return KnownEndpoints.Contains(name) ? name : "other";
    }
}
