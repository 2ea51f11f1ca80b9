namespace BotEngine.Conversations;

/// <summary>
/// A conversation's persisted state cannot be read (its replay failed): handing it the event again cannot succeed,
/// so the delivery worker dead-letters the event at once instead of retrying. Resetting the conversation
/// (<c>POST /admin/conversations/{key}/reset</c>) lets its user go on.
/// </summary>
public sealed class ConversationUnreadableException : Exception
{
    public ConversationUnreadableException(ConversationKey key, string reason)
        : base($"the state of conversation {key} cannot be read ({reason}); reset it with " +
            $"POST /admin/conversations/{Uri.EscapeDataString(key.Lane)}/reset, then retry its dead letters")
    {
        Key = key;
        Reason = reason;
    }

    public ConversationUnreadableException() : this(default, "unknown")
    {
    }

    public ConversationUnreadableException(string message) : base(message)
    {
        Reason = message;
    }

    public ConversationUnreadableException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
    }

    public ConversationKey Key { get; }

    public string Reason { get; } = "";
}
