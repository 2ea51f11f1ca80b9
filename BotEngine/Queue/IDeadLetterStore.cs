namespace BotEngine.Queue;

/// <summary>The dead letters the admin API lists and retries (SQLite <see cref="DeadLetterStore"/> or PostgreSQL).</summary>
internal interface IDeadLetterStore
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Puts a dead letter back at its place in its conversation's lane (pending, attempts from zero); one that could
    /// not be read is read again first and stays dead with the reason if it still does not read.
    /// </summary>
    Task<DeadLetterRetried> RetryAsync(long id, CancellationToken ct);
}
