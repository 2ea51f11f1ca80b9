using System.Threading.RateLimiting;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Telegram's send limits (Bot FAQ, "My bot is hitting limits"): in one chat about one message per second ("short
/// bursts" pass, longer ones get 429), in a group no more than 20 messages per minute, and about 30 messages per
/// second in all. A token bucket per chat (groups have negative ids) chained with one for all chats; over a limit a
/// message waits in the bucket's queue, oldest first, so a conversation's order holds. Only sendMessage carries a
/// chat (<see cref="ChatKey"/>); other calls (answerCallbackQuery) pass unlimited. A 429 that still comes is retried
/// after its <c>retry_after</c>.
/// </summary>
internal sealed class TelegramRateLimits : IDisposable
{
    /// <summary>The chat a request sends to, set by the client on the request's options.</summary>
    public static readonly HttpRequestOptionsKey<string> ChatKey = new("BotEngine.Telegram.ChatId");

    private const int QueueLimit = 100_000; // the caller bounds in-flight sends (BotEngine:MaxInFlight)

    // An idle chat's bucket is dropped by the partitioned limiter after about 10 s, so a million chats cost nothing.
    private readonly PartitionedRateLimiter<HttpRequestMessage> _perChat =
        PartitionedRateLimiter.Create<HttpRequestMessage, string>(request => Chat(request) is { } chat
            ? RateLimitPartition.GetTokenBucketLimiter(chat, id => id.StartsWith('-') ? GroupChat : PrivateChat)
            : RateLimitPartition.GetNoLimiter(""));

    private readonly PartitionedRateLimiter<HttpRequestMessage> _allChats =
        PartitionedRateLimiter.Create<HttpRequestMessage, string>(request => Chat(request) is null
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetTokenBucketLimiter("all", _ => AllChats));

    private readonly PartitionedRateLimiter<HttpRequestMessage> _limiter;

    public TelegramRateLimits() => _limiter = PartitionedRateLimiter.CreateChained(_perChat, _allChats);

    /// <summary>A burst of three, then one message a second.</summary>
    public static TokenBucketRateLimiterOptions PrivateChat { get; } = Bucket(3, 1, TimeSpan.FromSeconds(1));

    /// <summary>A burst of three, then one message every three seconds: 20 a minute.</summary>
    public static TokenBucketRateLimiterOptions GroupChat { get; } = Bucket(3, 1, TimeSpan.FromSeconds(3));

    /// <summary>Five at once, then 3 every 110 ms (27/s): no second sees more than about 32.</summary>
    public static TokenBucketRateLimiterOptions AllChats { get; } = Bucket(5, 3, TimeSpan.FromMilliseconds(110));

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage request, CancellationToken ct) =>
        _limiter.AcquireAsync(request, 1, ct);

    // A chained limiter does not dispose the ones it chains.
    public void Dispose()
    {
        _limiter.Dispose();
        _perChat.Dispose();
        _allChats.Dispose();
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
}
