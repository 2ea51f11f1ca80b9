namespace BotEngine.Conversations;

/// <summary>How conversation actors behave; built from <c>BotEngineOptions</c> unless a test registers its own.</summary>
internal sealed record ConversationSettings(TimeSpan IdleTimeout, int SnapshotEvery = ConversationSettings.DefaultSnapshotEvery)
{
    // Replay costs ~1 ms per event at first start (measured with Akka.Persistence.Sql on SQLite); 100 bounds recovery at a ~0.1 s cost per conversation.
    public const int DefaultSnapshotEvery = 100;
}

/// <summary>Child → router: I have been idle; stop me when it is safe.</summary>
internal sealed record Passivate
{
    public static Passivate Instance { get; } = new();
}

/// <summary>Child → itself (a timer): see whether it has been idle for the idle timeout.</summary>
internal sealed record IdleCheck
{
    public static IdleCheck Instance { get; } = new();
}

/// <summary>Router → child: stop now. A command (not PoisonPill), so it waits behind a persist in flight.</summary>
internal sealed record StopConversation
{
    public static StopConversation Instance { get; } = new();
}

/// <summary>Stop every conversation (at shutdown); answered with <c>Akka.Done</c> once all have stopped.</summary>
internal sealed record StopConversations
{
    public static StopConversations Instance { get; } = new();
}

/// <summary>Child → router: recovery finished; commands forwarded from now on are the child's to answer.</summary>
internal sealed record Recovered
{
    public static Recovered Instance { get; } = new();
}

/// <summary>
/// Child → router: recovery failed (the child stops); the router answers what it forwarded meanwhile. Permanent: the
/// stored rows cannot be read (the conversation stays unreadable until reset); else the store failed (busy, timeout)
/// and the next command tries a fresh replay.
/// </summary>
internal sealed record ReplayFailed(string Reason, bool Permanent);

/// <summary>Eraser → router: the conversation's rows are deleted, or why not.</summary>
internal sealed record ConversationErased(string? Error);
