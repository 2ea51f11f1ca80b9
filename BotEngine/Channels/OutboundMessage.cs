namespace BotEngine.Channels;

/// <summary>
/// One message a conversation sends, in a channel-neutral shape; each channel maps it to what it supports (LINE:
/// text with quick replies, buttons and confirm templates). Persisted inside conversation events through
/// Conversations/Persistence/Format (conversation_v1.proto): a new field needs a new format version there.
/// </summary>
/// <param name="Text">The text shown; for a template, its text (LINE shows <paramref name="Text"/> as alt text too).</param>
/// <param name="QuickReplies">Buttons under the message that send a text or a postback when tapped (LINE: ≤ 13).</param>
/// <param name="Template">Shown instead of plain text where the channel has templates.</param>
public sealed record OutboundMessage(
    string Text, IReadOnlyList<QuickReply>? QuickReplies = null, MessageTemplate? Template = null)
{
    public static OutboundMessage OfText(string text) => new(text);
}

/// <summary>A quick-reply button: sends <paramref name="Text"/> as the user's message, or postback <paramref name="Data"/>.</summary>
public sealed record QuickReply(string Label, string? Text = null, string? Data = null);

/// <summary>A buttons (≤ 4 actions) or confirm (2 actions) template.</summary>
/// <param name="Kind"><c>buttons</c> or <c>confirm</c>.</param>
public sealed record MessageTemplate(string Kind, IReadOnlyList<TemplateAction> Actions, string? Title = null)
{
    public const string Buttons = "buttons";
    public const string Confirm = "confirm";
}

/// <summary>A template button: sends <paramref name="Text"/> as a message, or postback <paramref name="Data"/>.</summary>
public sealed record TemplateAction(string Label, string? Text = null, string? Data = null);
