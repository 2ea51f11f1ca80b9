using BotEngine.Outbound;

namespace BotEngine.Channels.Line;

/// <summary>The Messaging API calls the engine makes. One HTTP attempt per call; retries are the caller's.</summary>
public interface ILineApi
{
    /// <summary><c>POST /v2/bot/message/reply</c> with 1 to 5 messages.</summary>
    Task<SendOutcome> ReplyAsync(string replyToken, IReadOnlyList<OutboundMessage> messages, CancellationToken ct);

    /// <summary><c>POST /v2/bot/message/push</c> with 1 to 5 messages and an <c>X-Line-Retry-Key</c>.</summary>
    Task<SendOutcome> PushAsync(string recipient, IReadOnlyList<OutboundMessage> messages, Guid retryKey, CancellationToken ct);
}
