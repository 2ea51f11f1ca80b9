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

/// <summary>The outcome of one step: the state to move to and the messages to send, in order (possibly none).</summary>
public sealed record BotDecision(BotState State, IReadOnlyList<OutboundMessage> Messages)
{
    public static BotDecision Stay(BotState state, params OutboundMessage[] messages) => new(state, messages);
}
