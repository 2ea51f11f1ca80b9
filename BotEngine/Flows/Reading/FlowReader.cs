using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows.Reading;

/// <summary>
/// Turns a flow file into a <see cref="FlowDefinition"/>, reporting every shape problem (missing or unknown
/// property, wrong type) with its line and column. Cross-references are checked by <see cref="FlowValidator"/>.
/// </summary>
internal sealed partial class FlowReader
{
    private static readonly string[] TransitionActions = ["say", "goto", "set", "clear", "call", "remind", "cancel"];

    private readonly JsonRead _read;

    private FlowReader(List<FlowError> errors) => _read = new JsonRead(errors);

    /// <summary>The flow, or null when the file has errors (added to <paramref name="errors"/>).</summary>
    public static FlowDefinition? Read(string file, byte[] bytes, List<FlowError> errors)
    {
        var before = errors.Count;
        if (SourceJson.Parse(file, bytes, errors) is not { } root) return null;
        var flow = new FlowReader(errors).ReadFlow(root);
        return errors.Count == before ? flow : null;
    }

    private FlowDefinition? ReadFlow(JsonItem root)
    {
        const string What = "the flow";
        if (_read.Object(root, What, "id", "version", "description", "start", "fallback", "commands", "states") is not
            { } obj)
        {
            return null;
        }
        var id = _read.String(obj, "id", What, required: true) ?? "";
        var version = _read.Integer(obj, "version", What);
        if (obj["version"] is null || version < 1)
        {
            _read.Error(obj["version"]?.Pos ?? obj.Pos, "the flow needs 'version', an integer from 1 (bump it on each change)");
        }
        _read.String(obj, "description", What);
        var start = _read.String(obj, "start", What, required: true) ?? "";
        var fallback = _read.String(obj, "fallback", What, required: true) ?? "";
        var commands = _read.Array(obj["commands"], "'commands'").Select(c => ReadTransition(c, "a command")).ToList();

        var states = new Dictionary<string, FlowState>(StringComparer.Ordinal);
        if (obj["states"] is null) _read.Error(obj.Pos, "the flow needs 'states'");
        if (_read.Object(obj["states"], "'states'", [.. Names(obj["states"])]) is { } stateObj)
        {
            foreach (var prop in stateObj.Props)
            {
                if (ReadState(prop) is { } state) states.TryAdd(prop.Name, state);
            }
        }
        return new FlowDefinition(id, version ?? 0, start, fallback, [.. commands.OfType<FlowTransition>()], states,
            obj.Pos)
        {
            StartPos = obj["start"]?.Pos,
            FallbackPos = obj["fallback"]?.Pos,
        };
    }

    private static IEnumerable<string> Names(JsonItem? item) =>
        item is JsonObj o ? o.Props.Select(p => p.Name) : [];

    private FlowState? ReadState(JsonProp prop)
    {
        var what = $"state '{prop.Name}'";
        if (_read.Object(prop.Value, what, "say", "on", "capture", "timeout") is not { } obj) return null;
        var say = ReadMessages(obj["say"], what);
        var transitions = _read.Array(obj["on"], $"'on' in {what}").Select(t => ReadTransition(t, $"a transition of {what}"));
        var capture = obj["capture"] is { } c ? ReadCapture(c, $"the capture of {what}") : null;
        StateTimeout? timeout = null;
        if (_read.Object(obj["timeout"], $"the timeout of {what}", ["after", .. TransitionActions]) is { } t
            && _read.Duration(t, "after", $"the timeout of {what}") is { } after)
        {
            timeout = new StateTimeout(after, ReadActions(t, FlowTransition.Create(
                new Trigger(Trigger.Timer, [FlowBot.TimeoutTimer(prop.Name)], t.Pos), t.Pos), $"the timeout of {what}"));
        }
        return new FlowState(prop.Name, say, [.. transitions.OfType<FlowTransition>()], capture, timeout, prop.Pos);
    }

    private FlowTransition? ReadTransition(JsonItem item, string what)
    {
        if (_read.Object(item, what, ["on", .. TransitionActions]) is not { } obj) return null;
        if (obj["on"] is null)
        {
            _read.Error(obj.Pos, $"{what} needs 'on' (one of: {string.Join(", ", Trigger.Kinds)})");
            return null;
        }
        if (ReadTrigger(obj["on"]!, what) is not { } trigger) return null;
        var transition = ReadActions(obj, FlowTransition.Create(trigger, obj.Pos), what);
        if (transition is { Say.Count: 0, Goto: null, Set.Count: 0, Clear.Count: 0, Call: null, Remind.Count: 0,
            Cancel.Count: 0 })
        {
            _read.Error(obj.Pos, $"empty transition: {what} has no 'goto' and no action (say, set, clear, call, remind, cancel)");
        }
        return transition;
    }

    /// <summary>The actions of a transition, a capture's success or a timeout, read from the same keys.</summary>
    private FlowTransition ReadActions(JsonObj obj, FlowTransition empty, string what)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_read.Object(obj["set"], $"'set' in {what}", [.. Names(obj["set"])]) is { } setObj)
        {
            foreach (var prop in setObj.Props)
            {
                if (prop.Value is JsonStr s) set[prop.Name] = s.Value;
                else _read.Error(prop.Value.Pos, $"'set.{prop.Name}' in {what} must be a string, not {prop.Value.Describe}");
            }
        }
        var clear = obj["clear"] is JsonLit { Raw: "true" } ? ["*"] : _read.Strings(obj["clear"], $"'clear' in {what}");
        var remind = new List<TimerSpec>();
        foreach (var r in obj["remind"] is JsonArr arr ? arr.Items : obj["remind"] is { } one ? [one] : [])
        {
            if (_read.Object(r, $"'remind' in {what}", "timer", "after") is not { } ro) continue;
            var name = _read.String(ro, "timer", $"'remind' in {what}", required: true);
            var after = _read.Duration(ro, "after", $"'remind' in {what}");
            if (name is not null && after is not null) remind.Add(new TimerSpec(name, after.Value, ro.Pos));
        }
        return empty with
        {
            Say = ReadMessages(obj["say"], what),
            Goto = _read.String(obj, "goto", what),
            GotoPos = obj["goto"]?.Pos,
            Set = set,
            Clear = clear,
            Call = ReadCall(obj["call"], what),
            Remind = remind,
            Cancel = _read.Strings(obj["cancel"], $"'cancel' in {what}"),
        };
    }

    private StepCall? ReadCall(JsonItem? item, string what)
    {
        switch (item)
        {
            case null:
                return null;
            case JsonStr { Value.Length: > 0 } s:
                return new StepCall(s.Value, [], s.Pos);
            default:
                if (_read.Object(item, $"'call' in {what}", "step", "sets") is not { } obj) return null;
                var step = _read.String(obj, "step", $"'call' in {what}", required: true);
                return step is null ? null : new StepCall(step, _read.Strings(obj["sets"], "'call.sets'"), obj.Pos);
        }
    }
}
