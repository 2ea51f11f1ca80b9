using System.Text.Json;
using BotEngine.Queue;
using Dapper;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>Stored LINE multicasts on PostgreSQL, as the SQLite <see cref="BatchStore"/> keeps them.</summary>
internal sealed class PgBatches(PgQueueDatabase database, TimeProvider clock) : IBatchStore
{
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS batches (
            id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            channel          text   NOT NULL,
            retry_key        text   NOT NULL,
            messages         text   NOT NULL,
            recipients       text   NOT NULL,
            state            int    NOT NULL DEFAULT 0,
            parent_id        bigint,
            created_at       bigint NOT NULL,
            first_attempt_at bigint,
            last_error       text,
            done_at          bigint);
        CREATE INDEX IF NOT EXISTS ix_batches_created ON batches (created_at);
        CREATE INDEX IF NOT EXISTS ix_events_batch ON events (batch_id) WHERE batch_id IS NOT NULL;
        """;

    private const string Columns = """
        id AS Id, channel AS Channel, retry_key AS RetryKey, messages AS Messages, recipients AS Recipients,
        state::bigint AS State, first_attempt_at AS FirstAttemptAt
        """;

    private const string InsertSql = $"""
        INSERT INTO batches (channel, retry_key, messages, recipients, state, parent_id, created_at, first_attempt_at)
        VALUES (@Channel, @RetryKey, @Messages, @Recipients, @State, @Parent, @Now, @FirstAttemptAt)
        RETURNING {Columns};
        """;

    private const string StateSql = """
        UPDATE batches SET state = @State, last_error = COALESCE(@Error, last_error),
                           first_attempt_at = CASE WHEN @State = 1 THEN COALESCE(first_attempt_at, @Now) ELSE first_attempt_at END,
                           done_at = CASE WHEN @State IN (3, 4) THEN @Now ELSE done_at END
        WHERE id = @Id;
        """;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<StoredBatch> CreateAsync(
        string channel, string messages, IReadOnlyList<(long EventId, string Recipient)> members, CancellationToken ct)
    {
        var now = Now;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = await connection.QuerySingleAsync<StoredBatch>(InsertSql, Row(channel, messages,
            members.Select(m => m.Recipient), LedgerState.MaybeDelivered, null, now, now), transaction);
        await connection.ExecuteAsync("UPDATE events SET batch_id = @Batch WHERE id = ANY(@Ids)",
            new { Batch = batch.Id, Ids = members.Select(m => m.EventId).ToArray() }, transaction);
        await transaction.CommitAsync(ct);
        return batch;
    }

    public async Task<IReadOnlyList<StoredBatch>> SplitAsync(
        StoredBatch parent, IReadOnlyList<IReadOnlyList<string>> parts, string error, CancellationToken ct)
    {
        var now = Now;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var children = new List<StoredBatch>(parts.Count);
        foreach (var part in parts)
        {
            var child = await connection.QuerySingleAsync<StoredBatch>(InsertSql,
                Row(parent.Channel, parent.Messages, part, LedgerState.NotSent, parent.Id, now, null), transaction);
            await connection.ExecuteAsync("UPDATE events SET batch_id = @Child WHERE batch_id = @Parent AND recipient = ANY(@Recipients)",
                new { Child = child.Id, Parent = parent.Id, Recipients = part.ToArray() }, transaction);
            children.Add(child);
        }

        await connection.ExecuteAsync(StateSql, new { parent.Id, State = (int)LedgerState.Refused, Error = $"split: {error}", Now = now }, transaction);
        await transaction.CommitAsync(ct);
        return children;
    }

    public async Task<int> SetStateAsync(long id, LedgerState state, string? error, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(StateSql,
            new { Id = id, State = (int)state, Error = error, Now = Now }, cancellationToken: ct));
    }

    public async Task<StoredBatch?> GetAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredBatch>(
            new CommandDefinition($"SELECT {Columns} FROM batches WHERE id = @Id", new { Id = id }, cancellationToken: ct));
    }

    public async Task<long?> BatchOfAsync(long eventId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT batch_id FROM events WHERE id = @Id", new { Id = eventId }, cancellationToken: ct));
    }

    private static object Row(string channel, string messages, IEnumerable<string> recipients, LedgerState state,
        long? parent, long now, long? firstAttemptAt) => new
        {
            Channel = channel, RetryKey = Guid.NewGuid().ToString("D"), Messages = messages,
            Recipients = JsonSerializer.Serialize(recipients.ToArray(), BatchJson.Default.StringArray),
            State = (int)state, Parent = parent, Now = now, FirstAttemptAt = firstAttemptAt,
        };
}
