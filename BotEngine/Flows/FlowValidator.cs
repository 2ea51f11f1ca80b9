using System.Text.RegularExpressions;
using BotEngine.Flows.Model;
using BotEngine.Flows.Runtime;

namespace BotEngine.Flows;

/// <summary>
/// Checks a flow's cross-references: states named by start, fallback and goto exist; every state can be reached;
/// patterns compile; every <c>{variable}</c> is captured somewhere; every reminder has a handler; and, when the
/// registered steps are known, every called step exists.
/// </summary>
internal static class FlowValidator
{
    public static IReadOnlyList<FlowError> Validate(FlowDefinition flow, IReadOnlySet<string>? knownSteps = null)
    {
        var errors = new List<FlowError>();
        void Error(SourcePos pos, string message) => errors.Add(new FlowError(pos, message));

        if (flow.Id.Length == 0) Error(flow.Pos, "the flow needs an 'id'");
        if (!flow.States.ContainsKey(flow.Start))
        {
            Error(flow.StartPos ?? flow.Pos, $"unknown state: 'start' names '{flow.Start}', which is not a state");
        }
        if (!flow.States.ContainsKey(flow.Fallback))
        {
            Error(flow.FallbackPos ?? flow.Pos, $"unknown state: 'fallback' names '{flow.Fallback}', which is not a state");
        }

        var transitions = FlowWalk.Transitions(flow).ToList();
        foreach (var t in transitions.Where(t => t.Goto is not null && !flow.States.ContainsKey(t.Goto)))
        {
            Error(t.GotoPos ?? t.Pos, $"transition to nowhere: 'goto' names '{t.Goto}', which is not a state");
        }
        var reachable = Reachable(flow);
        foreach (var state in flow.States.Values.Where(s => !reachable.Contains(s.Name)))
        {
            Error(state.Pos, $"unreachable state: no transition leads to '{state.Name}' from '{flow.Start}'");
        }

        var captured = new HashSet<string>(FlowBot.BuiltInVariables, StringComparer.Ordinal);
        foreach (var t in transitions)
        {
            captured.UnionWith(t.Set.Keys);
            if (t.Call is { } call) captured.UnionWith(call.Sets);
            if (t.On.Kind == Trigger.Regex) CheckRegex(t.On.Values[0], t.On.Pos);
            if (t.Call is { } c && knownSteps is not null && !knownSteps.Contains(c.Step)
                && !flow.CodeSteps.ContainsKey(c.Step))
            {
                Error(c.Pos, $"unknown step '{c.Step}': no C# step of that name is registered");
            }
        }
        foreach (var capture in flow.States.Values.Select(s => s.Capture).OfType<CaptureSpec>())
        {
            captured.Add(capture.Into);
            if (capture.Pattern is { } p) CheckRegex(p, capture.Pos);
            if (capture.Min > capture.Max) Error(capture.Pos, "'min' is larger than 'max'");
        }

        foreach (var (text, pos) in FlowWalk.Texts(flow))
        {
            foreach (var name in Templates.Variables(text).Where(n => !captured.Contains(n)).Distinct())
            {
                Error(pos, $"template variable '{{{name}}}' is never captured (no capture, set, call or regex group makes it)");
            }
        }

        var handled = transitions.Where(t => t.On.Kind == Trigger.Timer).Select(t => t.On.Values[0]).ToHashSet();
        foreach (var timer in transitions.SelectMany(t => t.Remind).Where(r => !handled.Contains(r.Name)))
        {
            Error(timer.Pos, $"timer '{timer.Name}' is set but no transition handles {{\"timer\": \"{timer.Name}\"}}");
        }
        return errors;

        void CheckRegex(string pattern, SourcePos pos)
        {
            try
            {
                var regex = new Regex(pattern, FlowBot.RegexOptions, FlowBot.RegexTimeout);
                captured.UnionWith(regex.GetGroupNames().Where(g => !int.TryParse(g, out _)));
            }
            catch (ArgumentException e)
            {
                Error(pos, $"bad regex \"{pattern}\": {e.Message}");
            }
        }
    }

    private static HashSet<string> Reachable(FlowDefinition flow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>([flow.Start, flow.Fallback, .. flow.Commands.Select(c => c.Goto).OfType<string>()]);
        while (next.TryDequeue(out var name))
        {
            if (!seen.Add(name) || !flow.States.TryGetValue(name, out var state)) continue;
            foreach (var t in FlowWalk.OfState(state).Where(t => t.Goto is not null)) next.Enqueue(t.Goto!);
        }
        return seen;
    }
}
