using System.Text.Json;
using System.Text.Json.Serialization;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Queue;

/// <summary>
/// One request for many events (a LINE multicast): the recipients in the order sent, the messages as sent, and the
/// retry key. Stored before its first attempt, so every retry and every restart sends the same request again.
/// </summary>
internal sealed record StoredBatch(long Id, string Channel, string RetryKey, string Messages, string Recipients,
    long State, long? FirstAttemptAt)
{
    public IReadOnlyList<string> RecipientList => JsonSerializer.Deserialize(Recipients, BatchJson.Default.StringArray) ?? [];

    public LedgerState Ledger => (LedgerState)State;

    public Guid Key => Guid.Parse(RetryKey);
}

/// <summary>The <c>batches</c> table and <c>events.batch_id</c>; every write through the one <see cref="SqliteWriter"/>.</summary>
internal sealed class BatchStore(SqliteDatabase database, SqliteWriter writer, TimeProvider clock) : IBatchStore
{
    private const string InsertSql = """
        INSERT INTO batches (channel, retry_key, messages, recipients, state, parent_id, created_at, first_attempt_at)
        VALUES (@Channel, @RetryKey, @Messages, @Recipients, @State, @Parent, @Now, @FirstAttemptAt)
        RETURNING id AS Id, channel AS Channel, retry_key AS RetryKey, messages AS Messages, recipients AS Recipients, state AS State,
                  first_attempt_at AS FirstAttemptAt;
        """;

    private const string JoinSql = """
        UPDATE events SET batch_id = @Batch WHERE id IN (SELECT value FROM json_each(@Events));
        """;

    // A split moves each member to the half that holds its recipient.
    private const string MoveSql = """
        UPDATE events SET batch_id = @Child
        WHERE batch_id = @Parent AND recipient IN (SELECT value FROM json_each(@Recipients));
        """;

    private const string GetSql = """
        SELECT id AS Id, channel AS Channel, retry_key AS RetryKey, messages AS Messages, recipients AS Recipients, state AS State,
               first_attempt_at AS FirstAttemptAt
        FROM batches WHERE id = @Id;
        """;

    private const string StateSql = """
        UPDATE batches SET state = @State, last_error = COALESCE(@Error, last_error),
                           first_attempt_at = CASE WHEN @State = 1 THEN COALESCE(first_attempt_at, @Now)
                                                   ELSE first_attempt_at END,
                           done_at = CASE WHEN @State IN (3, 4) THEN @Now ELSE done_at END
        WHERE id = @Id;
        """;

    private const string BatchOfSql = "SELECT batch_id FROM events WHERE id = @Id;";

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Stores a new batch as about to be attempted (<see cref="LedgerState.MaybeDelivered"/>: the first attempt follows
    /// at once, and a crash before it only costs a resend under the same key) and points its events at it.
    /// </summary>
    public Task<StoredBatch> CreateAsync(
        string channel, string messages, IReadOnlyList<(long EventId, string Recipient)> members, CancellationToken ct)
    {
        var now = Now;
        return writer.ExecuteAsync(context =>
        {
            var batch = Insert(context, channel, messages, members.Select(m => m.Recipient), LedgerState.MaybeDelivered,
                null, now, now);
            context.Connection.Execute(JoinSql, new { Batch = batch.Id, Events = Ids(members) },
                context.Transaction);
            return batch;
        }, 0, ct);
    }

    /// <summary>
    /// Splits a refused batch: each part becomes a batch of its own with a new retry key (the refused request was not
    /// executed, so nothing under the old key can arrive), the members move to their part, the parent is refused.
    /// </summary>
    public Task<IReadOnlyList<StoredBatch>> SplitAsync(
        StoredBatch parent, IReadOnlyList<IReadOnlyList<string>> parts, string error, CancellationToken ct)
    {
        var now = Now;
        return writer.ExecuteAsync<IReadOnlyList<StoredBatch>>(context =>
        {
            var children = new List<StoredBatch>(parts.Count);
            foreach (var part in parts)
            {
                var child = Insert(context, parent.Channel, parent.Messages, part, LedgerState.NotSent, parent.Id, now, null);
                context.Connection.Execute(MoveSql, new { Child = child.Id, Parent = parent.Id, Recipients = Users(part) },
                    context.Transaction);
                children.Add(child);
            }

            context.Connection.Execute(StateSql, new
            {
                parent.Id, State = (int)LedgerState.Refused, Error = $"split: {error}", Now = now,
            }, context.Transaction);
            return children;
        }, 0, ct);
    }

    public Task<int> SetStateAsync(long id, LedgerState state, string? error, CancellationToken ct)
    {
        var now = Now;
        return writer.ExecuteAsync(WriteKind.SingleStatement, context => context.Connection.Execute(StateSql,
            new { Id = id, State = (int)state, Error = error, Now = now }, context.Transaction), 0, ct);
    }

    public async Task<StoredBatch?> GetAsync(long id, CancellationToken ct)
    {
        await Task.Yield();
        using var connection = database.OpenReader();
        return await connection.QuerySingleOrDefaultAsync<StoredBatch>(
            new CommandDefinition(GetSql, new { Id = id }, cancellationToken: ct));
    }

    /// <summary>The batch an event belongs to now (a split may have moved it).</summary>
    public async Task<long?> BatchOfAsync(long eventId, CancellationToken ct)
    {
        await Task.Yield();
        using var connection = database.OpenReader();
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(BatchOfSql, new { Id = eventId }, cancellationToken: ct));
    }

    private static StoredBatch Insert(IWriteContext context, string channel, string messages,
        IEnumerable<string> recipients, LedgerState state, long? parent, long now, long? firstAttemptAt) =>
        context.Connection.QuerySingle<StoredBatch>(InsertSql, new
        {
            Channel = channel, RetryKey = Guid.NewGuid().ToString("D"), Messages = messages,
            Recipients = Users(recipients),
            State = (int)state, Parent = parent, Now = now, FirstAttemptAt = firstAttemptAt,
        }, context.Transaction);

    private static string Users(IEnumerable<string> users) =>
        JsonSerializer.Serialize(users.ToArray(), BatchJson.Default.StringArray);

    private static string Ids(IEnumerable<(long EventId, string Recipient)> members) =>
        JsonSerializer.Serialize(members.Select(m => m.EventId).ToArray(), BatchJson.Default.Int64Array);
}

[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long[]))]
internal sealed partial class BatchJson : JsonSerializerContext;
