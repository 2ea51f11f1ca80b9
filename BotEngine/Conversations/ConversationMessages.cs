using BotEngine.Channels;

namespace BotEngine.Conversations;

public interface IConversationCommand
{
    ConversationKey Key { get; }
}

/// <summary>Handle one queued event. Answered with <see cref="EventHandled"/>; the same event again gets the same answer.</summary>
public sealed record HandleEvent(ConversationKey Key, long QueueId, string EventId, ConversationInput Input)
    : IConversationCommand;

/// <summary>The messages the conversation answers <see cref="HandleEvent"/> with (possibly none), after they were persisted.</summary>
/// <remarks>Timers are set or cancelled by the delivery worker together with marking the event done.</remarks>
public sealed record EventHandled(
    long QueueId, string EventId, IReadOnlyList<OutboundMessage> Messages, IReadOnlyList<TimerCommand>? Timers = null);

/// <summary>
/// The answer to any command for a conversation whose persisted state cannot be read: a message rather than a failed
/// Ask, because a custom exception does not survive the network between cluster nodes. The asker raises
/// <see cref="ConversationUnreadableException"/> from it (ActorConversations).
/// </summary>
public sealed record ConversationUnreadable(ConversationKey Key, string Reason);

/// <summary>Ask for a conversation's current state; answered with <see cref="ConversationView"/>.</summary>
public sealed record GetConversation(ConversationKey Key) : IConversationCommand;

public sealed record ConversationView(ConversationKey Key, string Step, IReadOnlyDictionary<string, string> Variables);

/// <summary>Ask the router how many conversation actors are alive; answered with <see cref="ConversationStats"/>.</summary>
public sealed record GetConversationStats
{
    public static readonly GetConversationStats Instance = new();
}

/// <summary>Live conversation actors, the router's own count (no journal is read).</summary>
public sealed record ConversationStats(int Live);

/// <summary>Erase a conversation's journal and snapshots so its user starts over; answered with <see cref="ConversationReset"/>.</summary>
public sealed record ResetConversation(ConversationKey Key) : IConversationCommand;

/// <summary>The conversation's persisted state is gone; its next event starts from the bot's initial state.</summary>
public sealed record ConversationReset(ConversationKey Key);
