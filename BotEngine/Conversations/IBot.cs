using BotEngine.Channels;

namespace BotEngine.Conversations;

/// <summary>
/// A conversation's state machine: given where the conversation stands and what just happened, where it goes
/// next and what it says. Must be pure (same state and input, same decision), stateless and thread-safe:
/// one instance serves every conversation, and a decision is computed once per event and then persisted.
/// </summary>
public interface IBot
{
    BotDecision Decide(BotState state, ConversationInput input);
}

/// <summary>
/// The outcome of one step: the state to move to, the messages to send, in order (possibly none), and the timers
/// to set or cancel (each fires later as an event in this conversation's own lane).
/// </summary>
public sealed record BotDecision(
    BotState State, IReadOnlyList<OutboundMessage> Messages, IReadOnlyList<TimerCommand>? Timers = null)
{
    public static BotDecision Stay(BotState state, params OutboundMessage[] messages) => new(state, messages);
}

/// <summary>
/// Persisted inside conversation events (conversation_v1.proto). Sets the conversation's timer <paramref name="Name"/>
/// to fire <paramref name="After"/> from now (replacing one of that name), or cancels it when After is null.
/// A fired timer arrives as a <see cref="ConversationInput"/> of kind <c>timer</c> with Data = the name.
/// </summary>
public sealed record TimerCommand(string Name, TimeSpan? After)
{
    public const string InputKind = "timer";

    public static TimerCommand Set(string name, TimeSpan after) => new(name, after);

    public static TimerCommand Cancel(string name) => new(name, null);
}
