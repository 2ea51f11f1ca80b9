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
    // LINE: multicast 200 req/s, reply, push and most others 2,000 req/s; beyond that it answers 429, which the engine
    // retries after its backoff (a reply token stays usable for about a minute; ReplyWindow is 50 s). The rule kept
    // here: no 1-second window of sends above LINE's count. A bucket of C tokens refilled at r/s grants at most C + r
    // in any 1-s window, so C = a twentieth of the rate (100: a burst's first hundred go at once) and r = the rest
    // (1,900/s) hold that rule with nothing to spare. The earlier refill at 90 % (1,800/s, windows of at most 1,900)
    // kept a margin the rule does not need and made every long burst 5 % slower: 5,000 replies took 2.72 s of budget
    // alone, now 2.58 s. What the margin could have absorbed, requests bunched on the way so that LINE counts a few
    // more in one of its seconds than were sent in any of ours, costs a 429 and a retry of those few, not an answer.
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
            return RateLimitPartition.Get($"{request.Method} {path}", _ => new SteadyTokenBucket(Bucket(rate), TimeProvider.System, rate));
        });

    public static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond / 20,
        TokensPerPeriod = perSecond - perSecond / 20, // capacity + refill per second = LINE's count, never more
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst, // first come, first sent: keeps a lane's order
    };

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _limiter.Current.AcquireAsync(request, 1, ct);

    public void Dispose() => _limiter.Dispose();
}
