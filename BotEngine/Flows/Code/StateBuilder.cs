using BotEngine.Conversations;
using BotEngine.Channels;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Code;

/// <summary>One state of a <see cref="FlowBuilder"/> flow.</summary>
public sealed class StateBuilder
{
    private readonly FlowBuilder _flow;
    private readonly string _name;
    private readonly List<MessageSpec> _say = [];
    private readonly List<FlowTransition> _transitions = [];
    private CaptureSpec? _capture;
    private StateTimeout? _timeout;

    internal StateBuilder(FlowBuilder flow, string name)
    {
        _flow = flow;
        _name = name;
    }

    /// <summary>Said on entering the state.</summary>
    public StateBuilder Say(params MessageSpec[] messages)
    {
        _say.AddRange(messages);
        return this;
    }

    public StateBuilder On(Trigger on, Action<TransitionBuilder> then)
    {
        _transitions.Add(_flow.Transition(on, then));
        return this;
    }

    /// <summary>Stores the next text in <paramref name="into"/> if valid (<paramref name="type"/>: a <see cref="CaptureSpec"/> type), else re-asks.</summary>
    public StateBuilder Capture(string into, string type, MessageSpec retry, Action<TransitionBuilder> then,
        IReadOnlyList<string>? choices = null, string? pattern = null, decimal? min = null, decimal? max = null)
    {
        _capture = new CaptureSpec(into, type, choices ?? [], pattern, min, max, [retry],
            _flow.Transition(new Trigger(Trigger.Text, [], SourcePos.None), then), SourcePos.None);
        return this;
    }

    public StateBuilder Timeout(TimeSpan after, Action<TransitionBuilder> then)
    {
        _timeout = new StateTimeout(after, _flow.Transition(Triggers.Timer(FlowBot.TimeoutTimer(_name)), then));
        return this;
    }

    internal FlowState Build() => new(_name, [.. _say], [.. _transitions], _capture, _timeout, SourcePos.None);
}

/// <summary>What a transition of a <see cref="FlowBuilder"/> flow does.</summary>
public sealed class TransitionBuilder
{
    private readonly Dictionary<string, IFlowStep> _steps;

    internal TransitionBuilder(FlowTransition empty, Dictionary<string, IFlowStep> steps)
    {
        Built = empty;
        _steps = steps;
    }

    internal FlowTransition Built { get; private set; }

    public TransitionBuilder Say(params MessageSpec[] messages) => Update(t => t with { Say = [.. t.Say, .. messages] });

    public TransitionBuilder Goto(string state) => Update(t => t with { Goto = state });

    public TransitionBuilder Set(string name, string value) =>
        Update(t => t with { Set = new Dictionary<string, string>(t.Set) { [name] = value } });

    /// <summary>Removes the named variables, or every captured one when none is named.</summary>
    public TransitionBuilder Clear(params string[] names) => Update(t => t with { Clear = names.Length == 0 ? ["*"] : names });

    /// <summary>Calls a step registered in DI (or added by <see cref="Run"/>) that may set <paramref name="sets"/>.</summary>
    public TransitionBuilder Call(string step, params string[] sets) =>
        Update(t => t with { Call = new StepCall(step, sets, SourcePos.None) });

    /// <summary>Runs pure C# here: it gets the variables and input and returns new variables and messages.</summary>
    public TransitionBuilder Run(string name, Func<BotState, ConversationInput, FlowStepResult> step, params string[] sets)
    {
        _steps[name] = new DelegateStep(name, step);
        return Call(name, sets);
    }

    public TransitionBuilder Remind(string timer, TimeSpan after) =>
        Update(t => t with { Remind = [.. t.Remind, new TimerSpec(timer, after, SourcePos.None)] });

    public TransitionBuilder Cancel(string timer) => Update(t => t with { Cancel = [.. t.Cancel, timer] });

    private TransitionBuilder Update(Func<FlowTransition, FlowTransition> change)
    {
        Built = change(Built);
        return this;
    }
}
