using BotEngine.Cluster;
using BotEngine.Outbound;
using System.Threading.RateLimiting;

namespace BotEngine.Channels.Line;

/// <summary>
/// One token bucket per Messaging API endpoint (LINE limits per channel × endpoint, where the method is part of the
/// endpoint). Over the limit a request waits in the bucket's queue instead of failing: a local 429 would only come
/// back to the caller as a retry, while a short wait keeps the conversation's order and costs no request.
/// </summary>
internal sealed class LineRateLimits : IDisposable
{
    // LINE: multicast 200 req/s, reply, push and most others 2,000 req/s. The bucket holds a twentieth of a second's
    // budget and refills every 50 ms at 90 % of the rate, so no 1-second window exceeds
    // capacity + 0.9 × rate (1,900 of 2,000): bursts start at once, sustained load stays under LINE's count.
    private static readonly TimeSpan RefillPeriod = TimeSpan.FromMilliseconds(50);
    // The caller bounds in-flight sends (BotEngine:MaxInFlight); this is a backstop.
    private const int QueueLimit = 100_000;

    // Below this a node's multicast bucket (a tenth) would hold no whole token: 250 / 10 / 20 = 1.
    public const int MinimumShare = 250;

    private readonly SharedRate<PartitionedRateLimiter<HttpRequestMessage>> _limiter;

    /// <param name="perSecond">LINE's limit for reply, push and most endpoints (2,000); multicast gets a tenth.</param>
    /// <param name="nodes">In cluster mode the nodes sharing that limit: each node's buckets get its share, re-made
    /// whenever the count changes.</param>
    public LineRateLimits(int perSecond = LineOptions.DefaultRequestsPerSecond, ClusterNodes? nodes = null) =>
        _limiter = new(perSecond, MinimumShare, nodes, Create);

    /// <summary>This node's rate for reply, push and most endpoints: its share of the channel's limit.</summary>
    public int PerSecond => _limiter.PerSecond;

    /// <summary>One node's share of a channel's limit when <paramref name="nodes"/> send to it: an equal part, at
    /// least <see cref="MinimumShare"/> (more than 8 nodes on LINE's 2,000 then exceed it together; LINE answers
    /// 429, which is retried after its backoff).</summary>
    public static int Share(int limit, int nodes) => RateShare.Of(limit, nodes, MinimumShare);

    private static PartitionedRateLimiter<HttpRequestMessage> Create(int perSecond) =>
        PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
        {
            var path = request.RequestUri?.AbsolutePath ?? "";
            var rate = path.EndsWith("/multicast", StringComparison.Ordinal) ? perSecond / 10 : perSecond;
            // SteadyTokenBucket, not .NET's TokenBucketRateLimiter: its late timer ticks lost up to half the budget.
            return RateLimitPartition.Get($"{request.Method} {path}", _ => new SteadyTokenBucket(Bucket(rate), TimeProvider.System));
        });

    public static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond / 20,
        TokensPerPeriod = perSecond * 9 / 10 / 20,
        ReplenishmentPeriod = RefillPeriod,
        AutoReplenishment = true,
        QueueLimit = QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst, // first come, first sent: keeps a lane's order
    };

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _limiter.Current.AcquireAsync(request, 1, ct);

    public void Dispose() => _limiter.Dispose();
}
