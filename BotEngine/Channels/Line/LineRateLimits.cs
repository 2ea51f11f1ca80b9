using BotEngine.Cluster;
using BotEngine.Outbound;
using System.Threading.RateLimiting;

namespace BotEngine.Channels.Line;

/// <summary>
/// One token bucket per Messaging API endpoint (LINE limits per channel × endpoint, where the method is part of the
/// endpoint). Over the limit a request waits in the bucket's queue instead of failing: a local 429 would only come
/// back to the caller as a retry, while a short wait keeps the conversation's order and costs no request.
/// </summary>
internal sealed class LineRateLimits : IRateShareView, IDisposable
{
    // LINE: multicast 200 req/s, reply, push and most others 2,000 req/s; beyond that it answers 429, which the engine
    // retries after its backoff (a reply token stays usable for about a minute; ReplyWindow is 50 s). The rule kept
    // here: no 1-second window of sends above LINE's count, held by SteadyTokenBucket's window (it remembers the last
    // count's grant times). So the bucket itself may refill at LINE's whole rate and hold a quarter of a second's
    // budget (500): a burst's first 500 go at once, and a long one runs at 2,000/s, the window's pace. Before, the
    // bucket alone kept the rule (100 at once, then 1,900/s; earlier still 1,800/s): 5,000 replies took 2.58 s of
    // budget, now about 2.2 s (2,000 in the first 0.75 s, 500 when the first 500 leave the window, and so on).
    // Requests bunched on the way, so that LINE counts a few more in one of its seconds than were sent in any of ours,
    // cost a 429 and a retry of those few, not an answer.
    // The caller bounds in-flight sends (BotEngine:MaxInFlight); this is a backstop.
    private const int QueueLimit = 100_000;

    // A node's multicast bucket (a tenth of its share) then still holds whole tokens: 250 / 10 / 4 = 6.
    public const int MinimumShare = 250;

    private readonly SharedRate<PartitionedRateLimiter<HttpRequestMessage>> _limiter;

    /// <param name="perSecond">LINE's limit for reply, push and most endpoints (2,000); multicast gets a tenth.</param>
    /// <param name="nodes">In cluster mode the nodes sharing that limit: each node's buckets get its share, re-made
    /// whenever the count changes.</param>
    public LineRateLimits(int perSecond = LineOptions.DefaultRequestsPerSecond, ClusterNodes? nodes = null) =>
        _limiter = new(perSecond, MinimumShare, nodes, Create);

    /// <summary>This node's rate for reply, push and most endpoints: its share of the channel's limit.</summary>
    public int PerSecond => _limiter.PerSecond;

    /// <summary>The channel the share is listed under on <c>/healthz</c>.</summary>
    public string Name => LineChannel.Id.Name;

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
        TokenLimit = perSecond / 4,
        TokensPerPeriod = perSecond, // LINE's whole rate: the 1-s window, not the refill, keeps LINE's count
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst, // first come, first sent: keeps a lane's order
    };

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _limiter.Current.AcquireAsync(request, 1, ct);

    public void Dispose() => _limiter.Dispose();
}
