using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Queue;

/// <summary>A claimed event row: what the dispatcher needs to handle and answer it.</summary>
internal sealed record QueuedEvent
{
    public required long Id { get; init; }
    public required string Channel { get; init; }
    public required string EventId { get; init; }
    public required string Lane { get; init; }
    public required string Recipient { get; init; }
    public required string Kind { get; init; }
    public string? Text { get; init; }
    public string? Data { get; init; }
    public string? UserId { get; init; }
    public string? ReplyToken { get; init; }
    public required long ReceivedAt { get; init; }
    /// <summary>The platform's time of the event (Unix ms); for a fired timer, when it fell due.</summary>
    public long OccurredAt { get; init; }
    public required long Attempts { get; init; }
    public required long ReplyState { get; init; }
    public required string RetryKey { get; init; }
    public required long PartsSent { get; init; }
    public long PushState { get; init; }
    public long? PushFirstAt { get; init; }
    public long? BatchId { get; init; }

    public ConversationKey Key => ConversationKey.FromLane(Lane);

    public ConversationInput Input => new(Kind, Text, Data, UserId);

    public Channels.Channel ChannelId => new(Channel);

    public LedgerState Reply => (LedgerState)ReplyState;

    public LedgerState Push => (LedgerState)PushState;
}
