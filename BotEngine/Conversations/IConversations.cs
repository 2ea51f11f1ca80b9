namespace BotEngine.Conversations;

/// <summary>The conversation runtime as the delivery worker sees it: one event in, its answer out.</summary>
internal interface IConversations
{
    /// <summary>Hands the event to its conversation; completes once the step is persisted.</summary>
    Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct);

    Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct);
}
