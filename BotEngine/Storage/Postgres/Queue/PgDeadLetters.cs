using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Queue;
using Dapper;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The dead letters on PostgreSQL (the same for every node: the queue is shared). A retry re-opens the event under its
/// own id, so it takes its old place in the lane: it goes next once the event in flight there (if any) is done.
/// </summary>
internal sealed class PgDeadLetters(PgQueueDatabase database, ChannelSet channels, TimeProvider clock) : IDeadLetterStore
{
    private const string ReadSql = """
        SELECT channel AS Channel, kind AS Kind, payload AS Payload, lane AS Lane FROM events WHERE id = @Id AND state = 3;
        """;

    // Lock order everywhere: lanes, then events (PgLaneSql). The row may not exist: a revived event's new lane.
    private const string LockLaneSql = """
        INSERT INTO lanes (lane, touched_at) VALUES (@Lane, @Now) ON CONFLICT DO NOTHING;
        SELECT 1 FROM lanes WHERE lane = @Lane FOR UPDATE;
        """;

    // The SQLite retry's changes, and the claim's node (a column only PostgreSQL's events have) cleared.
    private const string RequeueSql = $"UPDATE events SET {DeadLetterRevival.RequeueSet}, claimed_by = NULL WHERE id = @Id AND state = 3;";

    private const string ReviveSql = $"UPDATE events SET {DeadLetterRevival.ReviveSet}, claimed_by = NULL WHERE id = @Id AND state = 3;";

    // A separate statement, so its snapshot sees the re-opened event; while the lane is claimed only head_id moves
    // (a claim needs claim_token IS NULL, and the unclaim recomputes the head anyway).
    private const string HeadSql = $"""
        UPDATE lanes l SET head_id = h.id, head_due_at = h.due_at, touched_at = @Now
        FROM (SELECT @Lane::text AS lane) k
        {PgLaneSql.HeadOfLane}
        WHERE l.lane = k.lane;
        """;

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

    public async Task<DeadLetterRetried> RetryAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(ReadSql, new { Id = id }, transaction);
        if (row is null) return new DeadLetterRetried(false, false, null);
        object change = new { Id = id, Now = now };
        var sql = RequeueSql;
        var lane = row.Lane;
        if (row.Kind == DeadLetterRevival.MalformedKind)
        {
            var (e, error) = DeadLetterRevival.Reread(channels, row.Channel, row.Payload);
            if (e is null)
            {
                var kept = await connection.ExecuteAsync(DeadLetterRevival.StillDeadSql, new { Id = id, Error = error }, transaction);
                await transaction.CommitAsync(ct);
                return new DeadLetterRetried(kept == 1, false, kept == 1 ? error : null);
            }

            lane = ConversationKey.LaneOf(row.Channel, e.Conversation);
            sql = ReviveSql;
            change = DeadLetterRevival.ReviveParameters(id, now, lane, e);
        }

        await connection.ExecuteAsync(LockLaneSql, new { Lane = lane, Now = now }, transaction);
        // Re-checked under the lane lock (state = 3): a retry that raced this one and won leaves nothing to do.
        if (await connection.ExecuteAsync(sql, change, transaction) == 0) return new DeadLetterRetried(false, false, null);
        await connection.ExecuteAsync(HeadSql, new { Lane = lane, Now = now }, transaction);
        await transaction.CommitAsync(ct);
        return new DeadLetterRetried(true, true, null);
    }

    private sealed record Row(string Channel, string Kind, string Payload, string Lane);
}
