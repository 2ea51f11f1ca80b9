using BotEngine.Queue;
using Dapper;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>The dead letters on PostgreSQL (the same for every node: the queue is shared).</summary>
internal sealed class PgDeadLetters(PgQueueDatabase database) : IDeadLetterStore
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long Id, string Channel, string EventId, string Conversation, string Kind,
            long Attempts, string? Error, long ReceivedAt, string Payload)>(new CommandDefinition("""
            SELECT id, channel, event_id, lane, kind, attempts::bigint, last_error, received_at, payload
            FROM events WHERE state = 3 ORDER BY id DESC LIMIT @Limit
            """, new { Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new DeadLetter(r.Id, r.Channel, r.EventId, r.Conversation, r.Kind, r.Attempts, r.Error,
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedAt), r.Payload)).ToList();
    }
}
