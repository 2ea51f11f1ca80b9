using BotEngine.Channels;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BotEngine.Outbound.Transport;

/// <summary>
/// Turns an exception of one HTTP attempt into <see cref="SendOutcome.NotSent"/> or
/// <see cref="SendOutcome.MaybeDelivered"/>. The deciding fact is whether the body started to be written
/// (<see cref="MarkedContent"/>), not the exception's type alone: SocketsHttpHandler reports a failed connect as
/// <see cref="HttpRequestError.ConnectionError"/>, <see cref="HttpRequestError.NameResolutionError"/> or
/// <see cref="HttpRequestError.SecureConnectionError"/>, but a timeout (Polly's <see cref="TimeoutRejectedException"/>)
/// may fall before or after the write, and a request retried internally on a fresh connection after a stale pooled
/// one failed can report a connect error although its first copy was written.
/// </summary>
internal static class TransportFailure
{
    /// <summary>Null when <paramref name="e"/> is not a transport failure (let it propagate).</summary>
    public static SendOutcome? Classify(Exception e, bool written, string what, Func<DateTimeOffset?> circuitRetryAt) =>
        e switch
        {
            BrokenCircuitException => new SendOutcome.NotSent($"{what}: not sent, the API is unreachable (paused)",
                circuitRetryAt()),
            // Only when the local queue of waiting requests is full.
            RateLimiterRejectedException => new SendOutcome.NotSent($"{what}: not sent, local rate limiter queue is full"),
            TimeoutRejectedException or HttpRequestException or IOException or TaskCanceledException => written
                ? new SendOutcome.MaybeDelivered($"{what}: {Describe(e)} after the request was written")
                : new SendOutcome.NotSent($"{what}: not sent ({Describe(e)})"),
            _ => null,
        };

    /// <summary>A short reason: <c>ConnectionError: Connection refused (127.0.0.1:4000)</c>, <c>no answer within 00:00:10</c>.</summary>
    public static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException t => $"no answer within {Operations.Durations.Readable(t.Timeout)}",
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } h => $"{h.HttpRequestError}: {Innermost(h)}",
        _ => $"{e.GetType().Name}: {Innermost(e)}",
    };

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
