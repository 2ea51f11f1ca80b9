using BotEngine.Conversations;
using BotEngine.Storage;
using System.Text.Json;
using Dapper;

namespace BotEngine.Queue;

/// <summary>
/// The event lanes: claims in receipt order with at most one event in flight per conversation, and every state
/// change of a claimed event. All writes go through the one <see cref="SqliteWriter"/>.
/// </summary>
internal sealed class EventStore(SqliteDatabase database, SqliteWriter writer, TimeProvider clock) : IEventStore
{
    // One statement, so two claims never hold one row. An open row is claimable when it is the oldest open row of
    // its lane (nothing older pending or in flight) and it is due, or its lease ran out (a crashed attempt).
    private const string ClaimSql = """
        UPDATE events SET state = 1, lease_until = @LeaseUntil, attempts = attempts + 1
        WHERE id IN (
            SELECT e.id FROM events e INDEXED BY ix_events_open
            WHERE e.state IN (0, 1)
              AND ((e.state = 0 AND e.due_at <= @Now) OR (e.state = 1 AND e.lease_until <= @Now))
              AND e.channel NOT IN (SELECT value FROM json_each(@Paused))
              AND (@Only IS NULL OR e.channel = @Only)
              AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY ix_events_open_lane
                              WHERE p.lane = e.lane AND p.state IN (0, 1) AND p.id < e.id)
            ORDER BY e.id LIMIT @Limit)
        RETURNING id AS Id, channel AS Channel, event_id AS EventId, lane AS Lane, recipient AS Recipient,
                  kind AS Kind, text AS Text, data AS Data, user_id AS UserId, reply_token AS ReplyToken,
                  received_at AS ReceivedAt, attempts AS Attempts, reply_state AS ReplyState,
                  retry_key AS RetryKey, parts_sent AS PartsSent, push_state AS PushState,
                  push_first_at AS PushFirstAt, batch_id AS BatchId, occurred_at AS OccurredAt;
        """;

    private const string ReleaseAllSql = "UPDATE events SET state = 0, lease_until = NULL WHERE state = 1;";

    private const string ReleaseSql = """
        UPDATE events SET state = 0, lease_until = NULL, attempts = MAX(attempts - 1, 0) WHERE id = @Id AND state = 1;
        """;

    private const string ReplyStateSql = "UPDATE events SET reply_state = @State WHERE id = @Id;";

    private const string PushStateSql = """
        UPDATE events SET push_state = @State, push_first_at = COALESCE(push_first_at, @FirstAt) WHERE id = @Id;
        """;

    // The next part has its own retry key: its push ledger starts afresh.
    private const string PartsSentSql = """
        UPDATE events SET parts_sent = @PartsSent, reply_state = MAX(reply_state, @ReplyState), push_state = 0,
                          push_first_at = NULL
        WHERE id = @Id;
        """;

    // An attempt that did not happen (not sent, paused platform) gives the event back without counting it.
    private const string PauseSql = """
        UPDATE events SET state = 0, due_at = @DueAt, lease_until = NULL, attempts = MAX(attempts - 1, 0),
                          last_error = @Error
        WHERE id = @Id AND state = 1;
        """;

    // Only the first completion applies the event's timers: a second one (a lease that ran out meanwhile) changes nothing.
    private const string DoneOnceSql = """
        UPDATE events SET state = 2, outcome = @Outcome, parts_sent = @PartsSent, done_at = @Now,
                          lease_until = NULL, uncertain = @Uncertain
        WHERE id = @Id AND state <> 2;
        """;

    private const string RetrySql = """
        UPDATE events SET state = 0, due_at = @DueAt, lease_until = NULL, last_error = @Error WHERE id = @Id;
        """;

    private const string DeadSql = """
        UPDATE events SET state = 3, lease_until = NULL, last_error = @Error, done_at = NULL WHERE id = @Id;
        """;

    private const string UncertainSql =
        "SELECT COUNT(*) FROM events INDEXED BY ix_events_uncertain WHERE uncertain = 1;";

    // Each state through its own partial index: done rows (kept days for deduplication) are never read, only
    // counted in a narrow index, so a scrape costs about the open work, not the table.
    private const string CountsSql = """
        SELECT state AS State, COUNT(*) AS Count FROM events INDEXED BY ix_events_open WHERE state IN (0, 1) GROUP BY state
        UNION ALL SELECT 2, COUNT(*) FROM events INDEXED BY ix_events_done WHERE state = 2
        UNION ALL SELECT 3, COUNT(*) FROM events INDEXED BY ix_events_dead WHERE state = 3;
        """;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <param name="paused">Channels whose events are not claimed now (their platform is unreachable).</param>
    /// <param name="only">Claim only this channel's events (a probe of a paused platform).</param>
    public Task<IReadOnlyList<QueuedEvent>> ClaimAsync(
        int limit, TimeSpan lease, CancellationToken ct, IReadOnlyCollection<string>? paused = null, string? only = null)
    {
        var now = Now;
        var pausedJson = paused is { Count: > 0 } ? JsonSerializer.Serialize(paused.ToArray()) : "[]";
        return writer.ExecuteAsync<IReadOnlyList<QueuedEvent>>(WriteKind.SingleStatement, context =>
            context.Connection.Query<QueuedEvent>(ClaimSql, new
            {
                Now = now, LeaseUntil = now + (long)lease.TotalMilliseconds, Limit = limit, Paused = pausedJson,
                Only = only,
            }, context.Transaction).AsList(), 0, ct);
    }

    /// <summary>At start-up nothing of this process is in flight: claims of a previous run become pending again.</summary>
    public Task<int> ReleaseAllAsync(CancellationToken ct) => Write(ReleaseAllSql, new { }, ct);

    /// <summary>Gives a claimed event back untouched (shutdown): the attempt does not count.</summary>
    public Task<int> ReleaseAsync(long id, CancellationToken ct) => Write(ReleaseSql, new { Id = id }, ct);

    public Task<int> SetReplyStateAsync(long id, LedgerState state, CancellationToken ct) =>
        Write(ReplyStateSql, new { Id = id, State = (int)state }, ct);

    /// <summary>Sets the push ledger of the current part; the first attempt's time is kept (its retry key's life).</summary>
    public Task<int> SetPushStateAsync(long id, LedgerState state, CancellationToken ct) =>
        Write(PushStateSql, new { Id = id, State = (int)state, FirstAt = Now }, ct);

    /// <summary>Parts before <paramref name="partsSent"/> were accepted (the first by reply when
    /// <paramref name="replied"/>); the next part's push ledger starts afresh.</summary>
    public Task<int> SetPartsSentAsync(long id, int partsSent, CancellationToken ct, bool replied = false) =>
        Write(PartsSentSql, new
        {
            Id = id, PartsSent = partsSent, ReplyState = (int)(replied ? LedgerState.Delivered : LedgerState.NotSent),
        }, ct);

    /// <summary>Gives a claimed event back without counting its attempt, due at <paramref name="dueAt"/>.</summary>
    public Task<int> PauseAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct) =>
        Write(PauseSql, new { Id = id, DueAt = dueAt.ToUnixTimeMilliseconds(), Error = error }, ct);

    /// <summary>Done events whose delivery is uncertain, within the retention.</summary>
    public async Task<long> CountUncertainAsync(CancellationToken ct)
    {
        using var connection = database.OpenReader();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(UncertainSql, cancellationToken: ct));
    }

    /// <summary>
    /// Marks the event done and, in the same write, sets or cancels the timers its conversation decided; so a crash
    /// can never keep one without the other. False (and no timer touched) when the event was done already.
    /// </summary>
    public Task<bool> CompleteAsync(QueuedEvent queued, string outcome, int partsSent,
        IReadOnlyList<TimerCommand> timers, CancellationToken ct, bool uncertain = false)
    {
        var now = Now;
        return writer.ExecuteAsync(context =>
        {
            var first = context.Connection.Execute(DoneOnceSql, new
            {
                queued.Id, Outcome = outcome, PartsSent = partsSent, Now = now, Uncertain = uncertain ? 1 : 0,
            }, context.Transaction) == 1;
            if (first && timers.Count > 0)
            {
                TimerStore.Apply(context, queued, timers, now);
            }

            return first;
        }, 0, ct);
    }

    public Task<int> RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken ct) =>
        Write(RetrySql, new { Id = id, DueAt = dueAt.ToUnixTimeMilliseconds(), Error = error }, ct);

    public Task<int> DeadLetterAsync(long id, string error, CancellationToken ct) =>
        Write(DeadSql, new { Id = id, Error = error }, ct);

    public async Task<IReadOnlyDictionary<EventState, long>> CountByStateAsync(CancellationToken ct)
    {
        using var connection = database.OpenReader();
        var rows = await connection.QueryAsync<(long State, long Count)>(new CommandDefinition(CountsSql, cancellationToken: ct));
        return rows.ToDictionary(row => (EventState)row.State, row => row.Count);
    }

    private Task<int> Write(string sql, object parameters, CancellationToken ct) =>
        writer.ExecuteAsync(
            WriteKind.SingleStatement, context => context.Connection.Execute(sql, parameters, context.Transaction), 0, ct);
}
