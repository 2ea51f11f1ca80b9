using BotEngine.Outbound;
using System.Threading.RateLimiting;
using BotEngine.Cluster;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Telegram's send limits (Bot FAQ, "My bot is hitting limits"): in one chat about one message per second ("short
/// bursts" pass, longer ones get 429), in a group no more than 20 messages per minute, and about 30 messages per
/// second in all. A token bucket per chat (groups have negative ids) chained with one for all chats; over a limit a
/// message waits in the bucket's queue, oldest first, so a conversation's order holds. Only sendMessage carries a
/// chat (<see cref="ChatKey"/>); other calls (answerCallbackQuery) pass unlimited. A 429 that still comes is retried
/// after its <c>retry_after</c>.
/// The all-chats limit is per bot, not per process: in cluster mode each node's all-chats bucket holds its share,
/// re-made when the count of Up nodes changes (<see cref="SharedRate{T}"/>). The per-chat buckets stay per node: a
/// chat is one conversation, whose events are handled one at a time in lane order on the one node its shard lives on,
/// so no two nodes send to one chat at once.
/// </summary>
internal sealed class TelegramRateLimits : IRateShareView, IDisposable
{
    /// <summary>The chat a request sends to, set by the client on the request's options.</summary>
    public static readonly HttpRequestOptionsKey<string> ChatKey = new("BotEngine.Telegram.ChatId");

    /// <summary>Telegram's limit across all chats, per bot.</summary>
    public const int AllChatsPerSecond = 30;

    // Any share makes a bucket of whole tokens (the refill period stretches); with more than 30 nodes they exceed the
    // bot's 30/s together and Telegram's 429 is retried after its retry_after.
    public const int MinimumShare = 1;

    private const int QueueLimit = 100_000; // the caller bounds in-flight sends (BotEngine:MaxInFlight)

    // An idle chat's bucket is dropped by the partitioned limiter after about 10 s, so a million chats cost nothing.
    private readonly PartitionedRateLimiter<HttpRequestMessage> _perChat =
        PartitionedRateLimiter.Create<HttpRequestMessage, string>(request => Chat(request) is { } chat
            ? RateLimitPartition.GetTokenBucketLimiter(chat, id => id.StartsWith('-') ? GroupChat : PrivateChat)
            : RateLimitPartition.GetNoLimiter(""));

    private readonly SharedRate<AllChatsChain> _limiter;

    /// <param name="nodes">In cluster mode the nodes sharing the bot's all-chats limit; null: this node alone.</param>
    public TelegramRateLimits(ClusterNodes? nodes = null) =>
        _limiter = new(AllChatsPerSecond, MinimumShare, nodes, perSecond => new AllChatsChain(_perChat, perSecond));

    /// <summary>This node's messages per second across all chats: its share of the bot's 30.</summary>
    public int PerSecond => _limiter.PerSecond;

    /// <summary>The channel the share is listed under on <c>/healthz</c>.</summary>
    public string Name => TelegramChannel.Id.Name;

    /// <summary>One node's share of the bot's all-chats limit when <paramref name="nodes"/> send for it.</summary>
    public static int Share(int nodes) => RateShare.Of(AllChatsPerSecond, nodes, MinimumShare);

    /// <summary>A burst of three, then one message a second.</summary>
    public static TokenBucketRateLimiterOptions PrivateChat { get; } = Bucket(3, 1, TimeSpan.FromSeconds(1));

    /// <summary>A burst of three, then one message every three seconds: 20 a minute.</summary>
    public static TokenBucketRateLimiterOptions GroupChat { get; } = Bucket(3, 1, TimeSpan.FromSeconds(3));

    /// <summary>A sixth of a second's share at once, then up to 3 at a time at 90 % of the share: for the whole 30,
    /// five at once then 3 every 111 ms (27/s), so no second sees more than 32; nodes together stay as near. A refill
    /// never exceeds the burst (a bucket holds no more than its limit): a third's share, 1 at once, refills 1 every
    /// 111 ms (9/s), where 3 every 333 ms into a bucket of 1 gave 3/s.</summary>
    public static TokenBucketRateLimiterOptions AllChats(int perSecond)
    {
        var burst = Math.Max(1, perSecond / 6);
        var tokens = Math.Min(3, burst);
        return Bucket(burst, tokens, TimeSpan.FromSeconds(tokens / (perSecond * 0.9)));
    }

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _limiter.Current.Limiter.AcquireAsync(request, 1, ct);

    public void Dispose()
    {
        _limiter.Dispose();
        _perChat.Dispose();
    }

    private static string? Chat(HttpRequestMessage request) =>
        request.Options.TryGetValue(ChatKey, out var chat) ? chat : null;

    private static TokenBucketRateLimiterOptions Bucket(int burst, int tokens, TimeSpan period) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = tokens,
        ReplenishmentPeriod = period,
        AutoReplenishment = true,
        QueueLimit = QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    };

    /// <summary>The per-chat buckets (shared by every chain) chained with one all-chats bucket for a share.</summary>
    private sealed class AllChatsChain : IDisposable
    {
        private readonly PartitionedRateLimiter<HttpRequestMessage> _allChats;

        public AllChatsChain(PartitionedRateLimiter<HttpRequestMessage> perChat, int perSecond)
        {
            var bucket = AllChats(perSecond);
            _allChats = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request => Chat(request) is null
                ? RateLimitPartition.GetNoLimiter("")
                // SteadyTokenBucket, not .NET's: its late timer ticks lose budget (Outbound/SteadyTokenBucket.cs).
                : RateLimitPartition.Get("all", _ => new SteadyTokenBucket(bucket, TimeProvider.System)));
            Limiter = PartitionedRateLimiter.CreateChained(perChat, _allChats);
        }

        public PartitionedRateLimiter<HttpRequestMessage> Limiter { get; }

        // A chained limiter does not dispose the ones it chains; the per-chat one is disposed with its owner.
        public void Dispose()
        {
            Limiter.Dispose();
            _allChats.Dispose();
        }
    }
}
