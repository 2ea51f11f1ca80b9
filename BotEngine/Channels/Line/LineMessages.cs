using BotEngine.Channels.Line.Dto;

namespace BotEngine.Channels.Line;

/// <summary>
/// Maps channel-neutral messages to LINE's: text (or template) with quick replies; buttons and confirm templates
/// with the text as altText. LINE's limits are applied by shortening, so a long text never gets a message refused.
/// </summary>
internal static class LineMessages
{
    private const int MaxLabel = 20;
    private const int MaxAltText = 400;
    private const int MaxButtonsText = 160;
    private const int MaxButtonsTextWithTitle = 60;
    private const int MaxTitle = 40;
    private const int MaxConfirmText = 240;
    private const int MaxActionText = 300;
    private const int MaxData = 300;
    private const int MaxQuickReplies = 13;

    /// <summary>LINE's JSON array of these messages: what a multicast sends, and the key identical answers share.</summary>
    public static string ToJson(IReadOnlyList<OutboundMessage> messages) => System.Text.Json.JsonSerializer.Serialize(
        [.. messages.Select(ToLine)], MessagingApiJson.Default.LineMessageArray);

    public static LineMessage ToLine(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var quick = message.QuickReplies is { Count: > 0 } items
            ? new LineQuickReply([.. items.Take(MaxQuickReplies)
                .Select(q => new LineQuickReplyItem(Action(q.Label, q.Text, q.Data)))])
            : null;
        if (message.Template is not { } template) return new LineMessage("text", Text: message.Text, QuickReply: quick);

        var confirm = template.Kind == MessageTemplate.Confirm;
        var title = confirm || template.Title is null ? null : Shorten(template.Title, MaxTitle);
        var textLimit = confirm ? MaxConfirmText : title is null ? MaxButtonsText : MaxButtonsTextWithTitle;
        var lineTemplate = new LineTemplate(
            confirm ? "confirm" : "buttons",
            Shorten(message.Text, textLimit),
            [.. template.Actions.Take(confirm ? 2 : 4).Select(a => Action(a.Label, a.Text, a.Data))],
            title);
        return new LineMessage("template", AltText: Shorten(message.Text, MaxAltText), Template: lineTemplate,
            QuickReply: quick);
    }

    // A postback shows the label as the user's message (displayText), as a message action would.
    private static LineAction Action(string label, string? text, string? data) => data is not null
        ? new LineAction("postback", Shorten(label, MaxLabel), Data: Shorten(data, MaxData),
            DisplayText: Shorten(label, MaxActionText))
        : new LineAction("message", Shorten(label, MaxLabel), Text: Shorten(text ?? label, MaxActionText));

    private static string Shorten(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
