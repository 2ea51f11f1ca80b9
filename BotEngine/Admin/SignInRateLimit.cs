using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;

namespace BotEngine.Admin;

/// <summary>
/// At most <see cref="Attempts"/> sign-in posts per client per minute (right or wrong); more get 429 with
/// <c>Retry-After</c>. A token of 32 random characters is out of reach at that pace.
/// </summary>
internal static class SignInRateLimit
{
    public const string Policy = "sign-in";
    public const int Attempts = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(ClientOf(http),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Attempts, Window = Window, QueueLimit = 0 }));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (context, ct) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : (int)Window.TotalSeconds;
            var response = context.HttpContext.Response;
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            response.ContentType = "text/plain; charset=utf-8";
            return new ValueTask(response.WriteAsync(
                $"Too many sign-in attempts from this address; try again in {seconds} s.\n", ct));
        };
    });

    // Behind a reverse proxy on this machine every request comes from loopback: the last X-Forwarded-For entry is the
    // address the proxy itself saw (earlier entries are the client's to forge). Direct clients are their address.
    private static string ClientOf(HttpContext http)
    {
        var peer = http.Connection.RemoteIpAddress;
        if (peer is not null && IPAddress.IsLoopback(peer)
            && http.Request.Headers["X-Forwarded-For"].ToString().Split(',') is [.., var last]
            && !string.IsNullOrWhiteSpace(last))
        {
            return last.Trim();
        }

        return peer?.ToString() ?? "unknown";
    }
}
