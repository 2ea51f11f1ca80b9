using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Flows.Model;

namespace BotEngine.Flows.Runtime;

/// <summary>The scratch state of one <see cref="FlowBot.Decide"/> call; never shared.</summary>
internal sealed class FlowRun(IReadOnlyDictionary<string, string> variables)
{
    public Dictionary<string, string> Variables { get; } = new(variables, StringComparer.Ordinal);

    public List<OutboundMessage> Messages { get; } = [];

    public List<TimerCommand> Timers { get; } = [];

    public string Current { get; set; } = "";

    public void Say(IEnumerable<MessageSpec> messages) => Messages.AddRange(messages.Select(Render));

    private OutboundMessage Render(MessageSpec m) => new(
        R(m.Text),
        m.QuickReplies.Count == 0 ? null : [.. m.QuickReplies.Select(a => new QuickReply(R(a.Label), O(a.Text), O(a.Data)))],
        m.Template is not { } t ? null : new MessageTemplate(t.Kind,
            [.. t.Actions.Select(a => new TemplateAction(R(a.Label), O(a.Text), O(a.Data)))], O(t.Title)));

    private string R(string text) => Templates.Render(text, Variables);

    private string? O(string? text) => text is null ? null : R(text);
}
