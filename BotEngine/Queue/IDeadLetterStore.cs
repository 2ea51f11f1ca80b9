namespace BotEngine.Queue;

/// <summary>The dead letters the admin API lists (SQLite <see cref="DeadLetterStore"/> or PostgreSQL).</summary>
internal interface IDeadLetterStore
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct);
}
