using BotEngine.Conversations;
using BotEngine.Channels;

namespace BotEngine.Flows.Runtime;

/// <summary>
/// A piece of C# a flow calls by name (<c>"call": "name"</c>), registered with
/// <see cref="FlowRegistration.AddFlowStep{TStep}"/>. Must be pure like <see cref="IBot.Decide"/>: it reads the
/// conversation's variables and the input and returns new variables and messages, with no I/O and no clock, because
/// a decision is computed once and persisted, and must be the same if computed again. Data a step needs from outside
/// is loaded before start-up (constructor) or brought in by an input event.
/// </summary>
public interface IFlowStep
{
    string Name { get; }

    FlowStepResult Run(BotState state, ConversationInput input);
}

/// <summary>The variables after the step (its <see cref="BotState.Step"/> is ignored) and messages to send first.</summary>
public sealed record FlowStepResult(BotState State, IReadOnlyList<OutboundMessage>? Messages = null);

/// <summary>A step given as a delegate, for flows built in code.</summary>
public sealed class DelegateStep(string name, Func<BotState, ConversationInput, FlowStepResult> run) : IFlowStep
{
    public string Name => name;

    public FlowStepResult Run(BotState state, ConversationInput input) => run(state, input);
}
