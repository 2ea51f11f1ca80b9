using System.Globalization;
using System.Text.RegularExpressions;
using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows.Model;

namespace BotEngine.Flows.Runtime;

/// <summary>
/// Runs one <see cref="FlowDefinition"/> as an <see cref="IBot"/>: pure, stateless, one instance for every
/// conversation. Order of matching: global commands, the state's transitions (and its timeout), its capture, the
/// state's <c>any</c>, the global <c>any</c>. A conversation whose state is not in this flow (the file changed, or
/// another flow ran before) continues from the flow's fallback state.
/// </summary>
public sealed class FlowBot : IBot
{
    /// <summary>Built-in: how many text messages this conversation sent, this one included.</summary>
    public const string TextsVariable = "texts";

    /// <summary>Built-in: the text of the current message.</summary>
    public const string InputVariable = "input";

    public const string FlowIdVariable = "flow.id";
    public const string FlowVersionVariable = "flow.version";
    public const string TimerKind = TimerCommand.InputKind;
    internal const RegexOptions RegexOptions = System.Text.RegularExpressions.RegexOptions.IgnoreCase
        | System.Text.RegularExpressions.RegexOptions.CultureInvariant;

    public static readonly IReadOnlyList<string> BuiltInVariables =
        [TextsVariable, InputVariable, FlowIdVariable, FlowVersionVariable];

    // A pattern that backtracks for longer than this counts as no match rather than stalling a conversation.
    internal static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly HashSet<string> KeptOnClear = [TextsVariable, FlowIdVariable, FlowVersionVariable];
    private readonly FlowMatcher _matcher;
    private readonly Dictionary<string, IFlowStep> _steps;

    /// <summary>Validates the flow against the given steps; throws <see cref="FlowLoadException"/> when broken.</summary>
    public FlowBot(FlowDefinition flow, IEnumerable<IFlowStep>? steps = null)
    {
        _steps = new Dictionary<string, IFlowStep>(flow.CodeSteps, StringComparer.Ordinal);
        foreach (var step in steps ?? []) _steps.TryAdd(step.Name, step);
        var errors = FlowValidator.Validate(flow, _steps.Keys.ToHashSet());
        if (errors.Count > 0) throw new FlowLoadException(errors);
        Flow = flow;
        _matcher = new FlowMatcher(flow);
    }

    public FlowDefinition Flow { get; }

    public static string TimeoutTimer(string state) => "timeout:" + state;

    public BotDecision Decide(BotState state, ConversationInput input)
    {
        var run = new FlowRun(state.Variables);
        if (input.Kind == ConversationInput.TextKind)
        {
            var texts = int.TryParse(state.Get(TextsVariable), CultureInfo.InvariantCulture, out var n) ? n + 1 : 1;
            run.Variables[TextsVariable] = texts.ToString(CultureInfo.InvariantCulture);
            run.Variables[InputVariable] = input.Text ?? "";
        }
        else
        {
            run.Variables.Remove(InputVariable);
        }
        run.Current = Resolve(state, run);
        run.Variables[FlowIdVariable] = Flow.Id;
        run.Variables[FlowVersionVariable] = Flow.Version.ToString(CultureInfo.InvariantCulture);

        var current = Flow.States[run.Current];
        var handled = TryAll(Flow.Commands.Where(t => t.On.Kind != Trigger.Any), input, run)
            || TryAll(current.Transitions.Where(t => t.On.Kind != Trigger.Any), input, run)
            || TryTimeout(current, input, run)
            || TryCapture(current, input, run)
            || TryAll(current.Transitions.Where(t => t.On.Kind == Trigger.Any), input, run)
            || TryAll(Flow.Commands.Where(t => t.On.Kind == Trigger.Any), input, run);
        _ = handled; // nothing matched: stay silently (a flow that wants an answer for everything has an 'any')
        return new BotDecision(new BotState(run.Current, run.Variables), run.Messages,
            run.Timers.Count > 0 ? run.Timers : null);
    }

    private string Resolve(BotState state, FlowRun run)
    {
        var sameFlow = state.Get(FlowIdVariable) == Flow.Id;
        if (sameFlow && Flow.States.ContainsKey(state.Step)) return state.Step;
        if (state.Get(FlowIdVariable) is null && state.Step == BotState.StartStep) return Flow.Start;
        // The state vanished from the flow (or another bot ran before): its timeout, if any, must not fire later.
        run.Timers.Add(TimerCommand.Cancel(TimeoutTimer(state.Step)));
        return Flow.Fallback;
    }

    private bool TryAll(IEnumerable<FlowTransition> transitions, ConversationInput input, FlowRun run)
    {
        foreach (var t in transitions)
        {
            if (!_matcher.Matches(t.On, input, run.Variables)) continue;
            Apply(t, input, run);
            return true;
        }
        return false;
    }

    private bool TryTimeout(FlowState state, ConversationInput input, FlowRun run)
    {
        if (state.Timeout is not { } timeout || !_matcher.Matches(timeout.Then.On, input, run.Variables)) return false;
        Apply(timeout.Then, input, run);
        return true;
    }

    private bool TryCapture(FlowState state, ConversationInput input, FlowRun run)
    {
        if (state.Capture is not { } capture || input.Kind != ConversationInput.TextKind) return false;
        if (_matcher.Capture(capture, input.Text ?? "", run.Variables) is { } value)
        {
            run.Variables[capture.Into] = value;
            Apply(capture.Then, input, run);
        }
        else
        {
            run.Say(capture.Retry);
        }
        return true;
    }

    private void Apply(FlowTransition t, ConversationInput input, FlowRun run)
    {
        foreach (var (name, value) in t.Set) run.Variables[name] = Templates.Render(value, run.Variables);
        foreach (var name in t.Clear.Contains("*") ? run.Variables.Keys.Where(k => !KeptOnClear.Contains(k)).ToList() : t.Clear)
        {
            run.Variables.Remove(name);
        }
        if (t.Call is { } call)
        {
            var result = _steps[call.Step].Run(new BotState(run.Current, run.Variables), input);
            run.Variables.Clear();
            foreach (var (name, value) in result.State.Variables) run.Variables[name] = value;
            run.Messages.AddRange(result.Messages ?? []);
        }
        run.Say(t.Say);
        run.Timers.AddRange(t.Cancel.Select(TimerCommand.Cancel));
        run.Timers.AddRange(t.Remind.Select(r => TimerCommand.Set(r.Name, r.After)));
        if (t.Goto is not { } target) return;

        if (Flow.States[run.Current].Timeout is not null) run.Timers.Add(TimerCommand.Cancel(TimeoutTimer(run.Current)));
        var entered = Flow.States[target];
        run.Current = target;
        run.Say(entered.Say);
        if (entered.Timeout is { } timeout) run.Timers.Add(TimerCommand.Set(TimeoutTimer(target), timeout.After));
    }
}
