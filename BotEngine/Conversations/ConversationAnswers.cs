using Akka.Actor;

namespace BotEngine.Conversations;

/// <summary>
/// The answers handed back to an asker when a conversation cannot be replayed or reset, built in one place for local
/// mode (<see cref="ConversationRouter"/>) and cluster mode (BotEngine.Cluster.ConversationEntity), so both speak the
/// same words and shapes.
/// </summary>
internal static class ConversationAnswers
{
    /// <summary>The conversation's state cannot be read until it is reset: a message, not a failure (see <see cref="ConversationUnreadable"/>).</summary>
    public static ConversationUnreadable Unreadable(ConversationKey key, string reason) => new(key, reason);

    /// <summary>
    /// The answer to a command that reached a child whose replay failed: unreadable if the rows cannot be read, else
    /// a failed Ask that the delivery worker retries.
    /// </summary>
    public static object ReplayFailed(ConversationKey key, ReplayFailed failed) =>
        failed.Permanent
            ? Unreadable(key, failed.Reason)
            : new Status.Failure(new InvalidOperationException($"replay of {key} failed, to be retried: {failed.Reason}"));

    /// <summary>The answer to a reset: done, or a failed Ask carrying why (<paramref name="error"/>).</summary>
    public static object Reset(ConversationKey key, string? error) =>
        error is null
            ? new ConversationReset(key)
            : new Status.Failure(new InvalidOperationException($"reset of {key} failed: {error}"));
}
