using System.Collections.Concurrent;
using BotEngine.Conversations;
using BotEngine.Queue;
using Dapper;
using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The event lanes on PostgreSQL, with the surface of the SQLite <see cref="EventStore"/>: any node claims any lane
/// (<see cref="PgLaneSql.Claim"/>), and every outcome first locks its lane with the claim token this process got, kept
/// here by event id (<see cref="PgLaneSql.LockLane"/>), so a node whose claim was taken over (its lease or heartbeat
/// ran out) changes nothing.
/// </summary>
internal sealed class PgEventStore(PgQueueDatabase database, TimeProvider clock) : IEventStore
{
    private const string CountsSql = """
        SELECT state::bigint, count(*) FROM events WHERE state IN (0, 1) GROUP BY state
        UNION ALL SELECT 2, count(*) FROM events WHERE state = 2
        UNION ALL SELECT 3, count(*) FROM events WHERE state = 3;
        """;

    private readonly ConcurrentDictionary<long, Claim> _claims = new();

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<IReadOnlyList<QueuedEvent>> ClaimAsync(
        int limit, TimeSpan lease, CancellationToken ct, IReadOnlyCollection<string>? paused = null, string? only = null)
    {
        var now = Now;
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<QueuedEvent, long, (QueuedEvent Event, long Token)>(
            new CommandDefinition(PgLaneSql.Claim, new
            {
                Now = now, LeaseUntil = now + (long)lease.TotalMilliseconds, Limit = limit, Me = database.Incarnation,
                Paused = paused?.ToArray() ?? [], Only = only,
            }, cancellationToken: ct),
            (e, token) => (e, token), splitOn: "ClaimToken");
        var claimed = new List<QueuedEvent>();
        foreach (var (e, token) in rows)
        {
            _claims[e.Id] = new Claim(e.Lane, token);
            claimed.Add(e);
        }

        return claimed;
    }

    /// <summary>At start: claims of this node's earlier runs become pending again (never another node's).</summary>
    public async Task<int> ReleaseAllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(PgLaneSql.ReleasePreviousRuns,
            new { NamePrefix = database.NodeName.Replace("%", "\\%", StringComparison.Ordinal) + "/%", Me = database.Incarnation },
            cancellationToken: ct));
    }

    public Task<int> ReleaseAsync(long id, CancellationToken ct) => OutcomeAsync(id, PgLaneSql.Release, new { }, ct);

    public Task<int> PauseAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct) =>
        OutcomeAsync(id, PgLaneSql.Pause, new { DueAt = dueAt.ToUnixTimeMilliseconds(), Error = error }, ct);

    public Task<int> RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct) =>
        OutcomeAsync(id, PgLaneSql.Retry, new { DueAt = dueAt.ToUnixTimeMilliseconds(), Error = error }, ct);

    public Task<int> DeadLetterAsync(long id, string error, CancellationToken ct) =>
        OutcomeAsync(id, PgLaneSql.Dead, new { Error = error }, ct);

    /// <summary>Marks the event done and applies its timers in the same transaction; false when this process no longer
    /// holds its claim (then nothing changed).</summary>
    public async Task<bool> CompleteAsync(QueuedEvent queued, string outcome, int partsSent,
        IReadOnlyList<TimerCommand> timerCommands, CancellationToken ct, bool uncertain = false)
    {
        var now = Now;
        return await InLaneAsync(queued.Id, now, async (connection, transaction) =>
        {
            var first = await connection.ExecuteAsync(PgLaneSql.Done, new
            {
                queued.Id, Outcome = outcome, PartsSent = partsSent, Now = now, Uncertain = uncertain,
            }, transaction) == 1;
            if (first && timerCommands.Count > 0) await PgTimers.ApplyAsync(connection, transaction, queued, timerCommands, now);
            return first ? 1 : 0;
        }, ct) == 1;
    }

    public Task<int> SetReplyStateAsync(long id, LedgerState state, CancellationToken ct) =>
        WriteAsync("UPDATE events SET reply_state = @State WHERE id = @Id", new { Id = id, State = (int)state }, ct);

    public Task<int> SetPushStateAsync(long id, LedgerState state, CancellationToken ct) => WriteAsync(
        "UPDATE events SET push_state = @State, push_first_at = COALESCE(push_first_at, @FirstAt) WHERE id = @Id",
        new { Id = id, State = (int)state, FirstAt = Now }, ct);

    public Task<int> SetPartsSentAsync(long id, int partsSent, CancellationToken ct, bool replied = false) => WriteAsync("""
        UPDATE events SET parts_sent = @PartsSent, reply_state = GREATEST(reply_state, @ReplyState), push_state = 0,
                          push_first_at = NULL
        WHERE id = @Id
        """, new { Id = id, PartsSent = partsSent, ReplyState = (int)(replied ? LedgerState.Delivered : LedgerState.NotSent) }, ct);

    public async Task<long> CountUncertainAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("SELECT count(*) FROM events WHERE uncertain", cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<EventState, long>> CountByStateAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(long State, long Count)>(new CommandDefinition(CountsSql, cancellationToken: ct));
        return rows.ToDictionary(r => (EventState)r.State, r => r.Count);
    }

    private Task<int> OutcomeAsync(long id, string sql, object change, CancellationToken ct)
    {
        var now = Now;
        return InLaneAsync(id, now, (connection, transaction) =>
        {
            var parameters = new DynamicParameters(change);
            parameters.AddDynamicParams(new { Id = id, Now = now });
            return connection.ExecuteAsync(sql, parameters, transaction);
        }, ct);
    }

    // Lock the lane while it still carries this claim's token, change the event, then free the lane with its new head.
    // Without the lane (the claim was taken over) nothing is written: one round trip, then the claim is forgotten.
    private async Task<int> InLaneAsync(
        long id, long now, Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> change, CancellationToken ct)
    {
        if (!_claims.TryGetValue(id, out var claim)) return 0;
        var changed = 0;
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var key = new { claim.Lane, claim.Token, Now = now };
            if (await connection.ExecuteScalarAsync<int?>(PgLaneSql.LockLane, key, transaction) is not null)
            {
                changed = await change(connection, transaction);
                await connection.ExecuteAsync(PgLaneSql.Unclaim, key, transaction);
                await transaction.CommitAsync(ct);
            }
        }

        // Kept until committed (a failed outcome can be written again), and removed only if still this claim: after a
        // takeover this node may hold the same event again under a newer token.
        _claims.TryRemove(new KeyValuePair<long, Claim>(id, claim));
        return changed;
    }

    private async Task<int> WriteAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    private sealed record Claim(string Lane, long Token);
}
