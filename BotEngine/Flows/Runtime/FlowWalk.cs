using BotEngine.Flows.Model;

namespace BotEngine.Flows.Runtime;

/// <summary>Every transition and every text of a flow, for validation.</summary>
internal static class FlowWalk
{
    public static IEnumerable<FlowTransition> OfState(FlowState state)
    {
        foreach (var t in state.Transitions) yield return t;
        if (state.Capture is { } capture) yield return capture.Then;
        if (state.Timeout is { } timeout) yield return timeout.Then;
    }

    public static IEnumerable<FlowTransition> Transitions(FlowDefinition flow) =>
        flow.Commands.Concat(flow.States.Values.SelectMany(OfState));

    /// <summary>Each text that may hold placeholders, with where it was written.</summary>
    public static IEnumerable<(string Text, SourcePos Pos)> Texts(FlowDefinition flow)
    {
        var messages = flow.States.Values.SelectMany(s => s.Say.Concat(s.Capture?.Retry ?? []))
            .Concat(Transitions(flow).SelectMany(t => t.Say));
        foreach (var m in messages)
        {
            yield return (m.Text, m.Pos);
            foreach (var a in m.QuickReplies.Concat(m.Template?.Actions ?? []))
            {
                yield return (a.Label, a.Pos);
                if (a.Text is not null) yield return (a.Text, a.Pos);
                if (a.Data is not null) yield return (a.Data, a.Pos);
            }
            if (m.Template?.Title is { } title) yield return (title, m.Template.Pos);
        }
        foreach (var t in Transitions(flow))
        {
            foreach (var value in t.Set.Values) yield return (value, t.Pos);
        }
    }
}
