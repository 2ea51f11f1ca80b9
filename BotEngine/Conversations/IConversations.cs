namespace BotEngine.Conversations;

/// <summary>The conversation runtime as the delivery worker sees it: one event in, its answer out.</summary>
internal interface IConversations
{
    /// <summary>Hands the event to its conversation; completes once the step is persisted.</summary>
    Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct);

    Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct);

    /// <summary>Erases the conversation's journal and snapshots (its user starts over); other conversations go on.</summary>
    Task ResetAsync(ConversationKey key, CancellationToken ct);
}
