using System.Collections.Immutable;
using BotEngine.Channels;
using Google.Protobuf;
using P = BotEngine.Conversations.Persistence.Format.V1;

namespace BotEngine.Conversations.Persistence.Format;

/// <summary>
/// Version 1 of the persisted format (conversation_v1.proto): the domain types to their protobuf messages and
/// back. Collections are written as plain repeated fields and read back as arrays; nothing depends on .NET names.
/// </summary>
internal static class FormatV1
{
    public static byte[] Write(EventApplied e) => new P.EventApplied
    {
        EventId = e.EventId,
        QueueId = e.QueueId,
        State = Write(e.State),
        Messages = { e.Messages.Select(Write) },
        Timers = { (e.Timers ?? []).Select(Write) },
    }.ToByteArray();

    public static byte[] Write(ConversationState s) => new P.ConversationState
    {
        Bot = Write(s.Bot),
        Recent =
        {
            s.Recent.Select(e => new P.AppliedEvent
            {
                EventId = e.EventId,
                QueueId = e.QueueId,
                Messages = { e.Messages.Select(Write) },
                Timers = { (e.Timers ?? []).Select(Write) },
            }),
        },
    }.ToByteArray();

    public static EventApplied ReadEventApplied(ReadOnlySpan<byte> bytes)
    {
        var e = P.EventApplied.Parser.ParseFrom(bytes);
        return new(e.EventId, e.QueueId, Read(e.State), Read(e.Messages), Read(e.Timers));
    }

    public static ConversationState ReadConversationState(ReadOnlySpan<byte> bytes)
    {
        var s = P.ConversationState.Parser.ParseFrom(bytes);
        return new(Read(s.Bot), s.Recent
            .Select(e => new AppliedEvent(e.EventId, e.QueueId, Read(e.Messages), Read(e.Timers)))
            .ToImmutableList());
    }

    private static P.BotState Write(BotState state)
    {
        var names = new string[state.Variables.Count];
        var i = 0;
        foreach (var name in state.Variables.Keys) names[i++] = name;
        Array.Sort(names, StringComparer.Ordinal);
        var written = new P.BotState { Step = state.Step };
        foreach (var name in names) written.Variables.Add(new P.Variable { Name = name, Value = state.Variables[name] });
        return written;
    }

    private static BotState Read(P.BotState? state) => state is null
        ? BotState.Initial
        : new(state.Step, state.Variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    private static P.OutboundMessage Write(OutboundMessage m)
    {
        var message = new P.OutboundMessage { Text = m.Text, QuickReplies = { (m.QuickReplies ?? []).Select(Write) } };
        if (m.Template is { } t)
        {
            message.Template = new P.Template { Kind = t.Kind, Actions = { t.Actions.Select(Write) } };
            if (t.Title is not null) message.Template.Title = t.Title;
        }

        return message;
    }

    private static OutboundMessage[] Read(IEnumerable<P.OutboundMessage> messages) => messages
        .Select(m => new OutboundMessage(
            m.Text,
            m.QuickReplies.Count == 0 ? null : m.QuickReplies.Select(a => new QuickReply(a.Label, Text(a), Data(a))).ToArray(),
            m.Template is null ? null : new MessageTemplate(
                m.Template.Kind,
                m.Template.Actions.Select(a => new TemplateAction(a.Label, Text(a), Data(a))).ToArray(),
                m.Template.HasTitle ? m.Template.Title : null)))
        .ToArray();

    private static P.Action Write(QuickReply q) => Action(q.Label, q.Text, q.Data);

    private static P.Action Write(TemplateAction a) => Action(a.Label, a.Text, a.Data);

    private static P.Action Action(string label, string? text, string? data)
    {
        var action = new P.Action { Label = label };
        if (text is not null) action.Text = text;
        if (data is not null) action.Data = data;
        return action;
    }

    private static string? Text(P.Action a) => a.HasText ? a.Text : null;

    private static string? Data(P.Action a) => a.HasData ? a.Data : null;

    private static P.TimerCommand Write(TimerCommand t)
    {
        var timer = new P.TimerCommand { Name = t.Name };
        if (t.After is { } after) timer.AfterTicks = after.Ticks;
        return timer;
    }

    private static TimerCommand[] Read(IEnumerable<P.TimerCommand> timers) => timers
        .Select(t => new TimerCommand(t.Name, t.HasAfterTicks ? TimeSpan.FromTicks(t.AfterTicks) : null))
        .ToArray();
}
