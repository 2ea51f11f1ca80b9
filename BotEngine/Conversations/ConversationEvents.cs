using BotEngine.Channels;

namespace BotEngine.Conversations;

/// <summary>
/// Persisted (manifest <c>event-applied/1</c>, Persistence/Format/conversation_v1.proto). One queued event was applied: the state the bot moved to and the messages it
/// answered with. The resulting state is stored (not the input), so replay never re-runs the bot.
/// </summary>
public sealed record EventApplied(
    string EventId, long QueueId, BotState State, IReadOnlyList<OutboundMessage> Messages,
    IReadOnlyList<TimerCommand>? Timers = null);

/// <summary>
/// Persisted inside snapshots (conversation_v1.proto). One remembered event of <see cref="ConversationState.Recent"/>: its id and the
/// messages it produced, answered again when the same event is handed in again.
/// </summary>
public sealed record AppliedEvent(
    string EventId, long QueueId, IReadOnlyList<OutboundMessage> Messages, IReadOnlyList<TimerCommand>? Timers = null);
