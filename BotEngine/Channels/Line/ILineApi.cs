
namespace BotEngine.Channels.Line;

/// <summary>The Messaging API calls the engine makes. One HTTP attempt per call; retries are the caller's.</summary>
internal interface ILineApi
{
    /// <summary><c>POST /v2/bot/message/reply</c> with 1 to 5 messages.</summary>
    Task<SendOutcome> ReplyAsync(string replyToken, IReadOnlyList<OutboundMessage> messages, CancellationToken ct);

    /// <summary><c>POST /v2/bot/message/push</c> with 1 to 5 messages and an <c>X-Line-Retry-Key</c>.</summary>
    Task<SendOutcome> PushAsync(string recipient, IReadOnlyList<OutboundMessage> messages, Guid retryKey, CancellationToken ct);

    /// <summary>
    /// <c>POST /v2/bot/message/multicast</c>: 1 to 500 user ids, the messages as LINE's JSON array
    /// (<see cref="LineMessages.ToJson"/>, as stored with the batch), and an <c>X-Line-Retry-Key</c>.
    /// </summary>
    Task<SendOutcome> MulticastAsync(IReadOnlyList<string> to, string messagesJson, Guid retryKey, CancellationToken ct);
}

/// <summary>This month's target limit (null: none set) and messages sent; or why they could not be read.</summary>
internal sealed record LineQuotaReading(long? Limit, long Used, string? Error = null)
{
    public static LineQuotaReading Failed(string error) => new(null, 0, error);

    public bool Read => Error is null;

    /// <summary>Messages left this month; +∞ without a limit.</summary>
    public double Remaining => Limit is { } limit ? Math.Max(limit - Used, 0) : double.PositiveInfinity;
}
