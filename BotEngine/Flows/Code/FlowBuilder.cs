using BotEngine.Channels;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Code;

/// <summary>A conversation written in C#, selected with <c>Flows:Bot = code:{Name}</c>.</summary>
public interface ICodeConversation
{
    string Name { get; }

    FlowDefinition Build();
}

/// <summary>
/// Builds the same <see cref="FlowDefinition"/> a flow file holds, in C#: states, triggers, captures, timers and
/// messages are the flow's own pieces, and a transition can run a C# delegate (<see cref="TransitionBuilder.Run"/>)
/// or call a registered step. <see cref="FlowBot"/> validates and runs it like a file.
/// </summary>
public sealed class FlowBuilder(string id, int version)
{
    private readonly List<FlowTransition> _commands = [];
    private readonly Dictionary<string, FlowState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IFlowStep> _steps = new(StringComparer.Ordinal);
    private string? _start;
    private string? _fallback;

    /// <summary>The first state; also the fallback unless <see cref="Fallback"/> says otherwise. Default: the first state added.</summary>
    public FlowBuilder Start(string state)
    {
        _start = state;
        return this;
    }

    public FlowBuilder Fallback(string state)
    {
        _fallback = state;
        return this;
    }

    /// <summary>A global command, tried in every state.</summary>
    public FlowBuilder Command(Trigger on, Action<TransitionBuilder> then)
    {
        _commands.Add(Transition(on, then));
        return this;
    }

    public FlowBuilder State(string name, Action<StateBuilder> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var state = new StateBuilder(this, name);
        build(state);
        _states.Add(name, state.Build());
        _start ??= name;
        return this;
    }

    public FlowDefinition Build()
    {
        var start = _start ?? throw new InvalidOperationException($"Flow '{id}' has no state.");
        return new FlowDefinition(id, version, start, _fallback ?? start, [.. _commands], _states, SourcePos.None)
        {
            CodeSteps = new Dictionary<string, IFlowStep>(_steps),
        };
    }

    internal FlowTransition Transition(Trigger on, Action<TransitionBuilder> then)
    {
        ArgumentNullException.ThrowIfNull(then);
        var builder = new TransitionBuilder(FlowTransition.Create(on, SourcePos.None), _steps);
        then(builder);
        return builder.Built;
    }
}

/// <summary>Triggers for <see cref="FlowBuilder"/>, the same as a flow file's <c>"on"</c>.</summary>
public static class Triggers
{
    public static Trigger Any { get; } = new(Trigger.Any, [], SourcePos.None);

    public static Trigger Text(params string[] texts) => new(Trigger.Text, texts, SourcePos.None);

    public static Trigger Keywords(params string[] words) => new(Trigger.Keywords, words, SourcePos.None);

    public static Trigger Regex(string pattern) => new(Trigger.Regex, [pattern], SourcePos.None);

    public static Trigger Postback(params string[] data) => new(Trigger.Postback, data, SourcePos.None);

    public static Trigger Event(string kind) => new(Trigger.Event, [kind], SourcePos.None);

    public static Trigger Timer(string name) => new(Trigger.Timer, [name], SourcePos.None);
}

/// <summary>Messages for <see cref="FlowBuilder"/>: text with <c>{variable}</c> placeholders, quick replies, templates.</summary>
public static class Messages
{
    public static MessageSpec Text(string text, params string[] quickReplies) =>
        new(text, [.. quickReplies.Select(q => new ActionSpec(q, q, null, SourcePos.None))], null, SourcePos.None);

    public static MessageSpec Buttons(string text, string? title, params ActionSpec[] actions) =>
        new(text, [], new TemplateSpec(MessageTemplate.Buttons, title, actions, SourcePos.None), SourcePos.None);

    public static MessageSpec Confirm(string text, ActionSpec yes, ActionSpec no) =>
        new(text, [], new TemplateSpec(MessageTemplate.Confirm, null, [yes, no], SourcePos.None), SourcePos.None);

    public static ActionSpec Postback(string label, string data) => new(label, null, data, SourcePos.None);

    public static ActionSpec Message(string label, string? text = null) => new(label, text ?? label, null, SourcePos.None);
}
