namespace BotEngine.Channels;

/// <summary>One message a conversation sends. Persisted inside conversation events: add fields, never rename.</summary>
public sealed record OutboundMessage(string Text)
{
    public static OutboundMessage OfText(string text) => new(text);
}
