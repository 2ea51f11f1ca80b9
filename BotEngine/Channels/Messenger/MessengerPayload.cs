namespace BotEngine.Channels.Messenger;

/// <summary>
/// What a quick reply or a postback button carries. Messenger buttons always send a payload, never a text the user
/// typed, so a button that the flow meant to "send a text" carries that text behind <see cref="TextPrefix"/> and comes
/// back as a text input; any other payload is postback data.
/// </summary>
internal static class MessengerPayload
{
    public const string TextPrefix = "botengine.text:";

    public static string For(string label, string? text, string? data) => data ?? TextPrefix + (text ?? label);

    public static ConversationInput Read(string payload, string user) =>
        payload.StartsWith(TextPrefix, StringComparison.Ordinal)
            ? new ConversationInput(ConversationInput.TextKind, payload[TextPrefix.Length..], UserId: user)
            : new ConversationInput(ConversationInput.PostbackKind, Data: payload, UserId: user);
}
