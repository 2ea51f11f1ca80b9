using System.Globalization;
using BotEngine.Operations;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BotEngine.Outbound;

/// <summary>
/// Counts every call to a platform API in <c>botengine_outbound_calls_total{endpoint,status}</c>: the HTTP status, or
/// <c>timeout</c>, <c>rejected</c> (local rate limiter), <c>canceled</c> (shutdown), <c>error</c> (no answer).
/// It sits outside the resilience handler, so the timeout and rate limiter show as such. The channel names the
/// endpoint from the request's address, never putting a user id or a token (some platforms put it in the path) in a label.
/// </summary>
internal sealed class OutboundCallCounter(EngineMetrics metrics, Func<Uri?, string> endpointOf) : DelegatingHandler
{
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
}
