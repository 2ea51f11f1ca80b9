using System.Threading.RateLimiting;
using BotEngine.Outbound;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// The Send API allows 300 calls per second per page (Meta's Messenger Platform rate limiting page). One token bucket
/// for the page; over it a call waits in the bucket's queue instead of failing, which keeps each conversation's order.
/// A <see cref="SteadyTokenBucket"/>: .NET's own bucket loses budget whenever its timer ticks late on a busy pool.
/// </summary>
internal sealed class MessengerRateLimits : IDisposable
{
    public const int CallsPerSecond = 300;

    // A twentieth of a second's budget, refilled every 50 ms at 90 % of the rate: no 1-second window exceeds
    // 15 + 0.9 × 300 = 285 calls.
    public static TokenBucketRateLimiterOptions Bucket { get; } = new()
    {
        TokenLimit = CallsPerSecond / 20,
        TokensPerPeriod = CallsPerSecond * 9 / 10 / 20,
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(50),
        AutoReplenishment = true,
        QueueLimit = 100_000, // the caller bounds in-flight sends (BotEngine:MaxInFlight); this is a backstop
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    public RateLimiter Page { get; } = new SteadyTokenBucket(Bucket, TimeProvider.System);

    public void Dispose() => Page.Dispose();
}
