using System.Threading.RateLimiting;
using BotEngine.Cluster;
using BotEngine.Outbound;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// The Send API allows 300 calls per second per page (Meta's Messenger Platform rate limiting page). One token bucket
/// for the page; over it a call waits in the bucket's queue instead of failing, which keeps each conversation's order.
/// A <see cref="SteadyTokenBucket"/>: .NET's own bucket loses budget whenever its timer ticks late on a busy pool. The
/// limit is per page, not per process: in cluster mode each node's bucket holds its share, re-made when the count of
/// Up nodes changes (<see cref="SharedRate{T}"/>).
/// </summary>
internal sealed class MessengerRateLimits : IRateShareView, IDisposable
{
    public const int CallsPerSecond = 300;

    // Below this a node's bucket would refill less than a whole token per 50 ms: 30 × 0.9 / 20 = 1. With more than
    // 10 nodes they exceed the page's 300 together; Meta's throttling error is retried after the backoff.
    public const int MinimumShare = 30;

    private readonly SharedRate<RateLimiter> _page;

    /// <param name="nodes">In cluster mode the nodes sharing the page's limit; null: this node alone.</param>
    public MessengerRateLimits(ClusterNodes? nodes = null) =>
        _page = new(CallsPerSecond, MinimumShare, nodes, perSecond => new SteadyTokenBucket(Bucket(perSecond), TimeProvider.System));

    /// <summary>This node's calls per second: its share of the page's 300.</summary>
    public int PerSecond => _page.PerSecond;

    /// <summary>The channel the share is listed under on <c>/healthz</c>.</summary>
    public string Name => MessengerChannel.Id.Name;

    /// <summary>One node's share of the page's limit when <paramref name="nodes"/> send to it.</summary>
    public static int Share(int nodes) => RateShare.Of(CallsPerSecond, nodes, MinimumShare);

    // A twentieth of a second's budget, refilled every 50 ms at 90 % of the rate: no 1-second window exceeds
    // 15 + 0.9 × 300 = 285 calls (one node alone).
    public static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = Math.Max(1, perSecond / 20),
        TokensPerPeriod = Math.Max(1, perSecond * 9 / 10 / 20),
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(50),
        AutoReplenishment = true,
        QueueLimit = 100_000, // the caller bounds in-flight sends (BotEngine:MaxInFlight); this is a backstop
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    /// <summary>A permit from the page's bucket (every call takes one, whatever its endpoint).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _page.Current.AcquireAsync(1, ct);

    public void Dispose() => _page.Dispose();
}
