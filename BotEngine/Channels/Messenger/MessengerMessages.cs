using BotEngine.Channels.Messenger.Dto;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Maps channel-neutral messages to the Send API's: text with quick replies (≤ 13, titles ≤ 20 characters), and
/// buttons or confirm templates as a button template (≤ 3 postback buttons, text ≤ 640 characters). A buttons template
/// with more actions than Messenger allows becomes text with quick replies instead. Limits are applied by shortening,
/// as for LINE, so a long text never gets a message refused.
/// </summary>
internal static class MessengerMessages
{
    public const int MaxText = 2_000;
    public const int MaxQuickReplies = 13;
    public const int MaxButtons = 3;
    private const int MaxButtonText = 640;
    private const int MaxTitle = 20;
    private const int MaxPayload = 1_000;

    public static SendMessage ToSend(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var quick = (message.QuickReplies ?? []).Select(q => (q.Label, q.Text, q.Data));
        if (message.Template is { Actions.Count: > 0 } template)
        {
            var actions = template.Actions.Select(a => (a.Label, a.Text, a.Data));
            if (template.Actions.Count > MaxButtons)
            {
                return new SendMessage(Shorten(WithTitle(message.Text, template.Title), MaxText),
                    QuickReplies: QuickReplies(actions.Concat(quick)));
            }

            var buttons = new ButtonTemplate("button", Shorten(WithTitle(message.Text, template.Title), MaxButtonText),
                [.. actions.Select(a => new PostbackButton("postback", Shorten(a.Label, MaxTitle), Payload(a)))]);
            return new SendMessage(Attachment: new SendAttachment("template", buttons), QuickReplies: QuickReplies(quick));
        }

        return new SendMessage(Shorten(message.Text, MaxText), QuickReplies: QuickReplies(quick));
    }

    private static List<SendQuickReply>? QuickReplies(IEnumerable<(string Label, string? Text, string? Data)> items)
    {
        var list = items.Take(MaxQuickReplies)
            .Select(q => new SendQuickReply("text", Shorten(q.Label, MaxTitle), Payload(q))).ToList();
        return list.Count == 0 ? null : list;
    }

    private static string Payload((string Label, string? Text, string? Data) button) =>
        Shorten(MessengerPayload.For(button.Label, button.Text, button.Data), MaxPayload);

    // Messenger's button template has no title of its own: it leads the text.
    private static string WithTitle(string text, string? title) => title is null ? text : $"{title}\n{text}";

    private static string Shorten(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
