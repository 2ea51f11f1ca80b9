using BotEngine.Conversations;
using BotEngine.Storage;
using BotEngine.Timers;
using Dapper;

namespace BotEngine.Queue;

/// <summary>
/// The event lanes: claims in receipt order with at most one event in flight per conversation, and every state
/// change of a claimed event. All writes go through the one <see cref="SqliteWriter"/>.
/// </summary>
internal sealed class EventStore(SqliteDatabase database, SqliteWriter writer, TimeProvider clock)
{
    // One statement, so two claims never hold one row. An open row is claimable when it is the oldest open row of
    // its lane (nothing older pending or in flight) and it is due, or its lease ran out (a crashed attempt).
    private const string ClaimSql = """
        UPDATE events SET state = 1, lease_until = @LeaseUntil, attempts = attempts + 1
        WHERE id IN (
            SELECT e.id FROM events e INDEXED BY ix_events_open
            WHERE e.state IN (0, 1)
              AND ((e.state = 0 AND e.due_at <= @Now) OR (e.state = 1 AND e.lease_until <= @Now))
              AND NOT EXISTS (SELECT 1 FROM events p INDEXED BY ix_events_open_lane
                              WHERE p.lane = e.lane AND p.state IN (0, 1) AND p.id < e.id)
            ORDER BY e.id LIMIT @Limit)
        RETURNING id AS Id, channel AS Channel, event_id AS EventId, lane AS Lane, recipient AS Recipient,
                  kind AS Kind, text AS Text, data AS Data, user_id AS UserId, reply_token AS ReplyToken,
                  received_at AS ReceivedAt, attempts AS Attempts, reply_state AS ReplyState,
                  retry_key AS RetryKey, parts_sent AS PartsSent;
        """;

    private const string ReleaseAllSql = "UPDATE events SET state = 0, lease_until = NULL WHERE state = 1;";

    private const string ReleaseSql = """
        UPDATE events SET state = 0, lease_until = NULL, attempts = MAX(attempts - 1, 0) WHERE id = @Id AND state = 1;
        """;

    private const string ReplyStateSql = "UPDATE events SET reply_state = @ReplyState WHERE id = @Id;";

    private const string PartsSentSql = "UPDATE events SET parts_sent = @PartsSent WHERE id = @Id;";

    // Only the first completion applies the event's timers: a second one (a lease that ran out meanwhile) changes nothing.
    private const string DoneOnceSql = """
        UPDATE events SET state = 2, outcome = @Outcome, parts_sent = @PartsSent, done_at = @Now,
                          lease_until = NULL
        WHERE id = @Id AND state <> 2;
        """;

    private const string RetrySql = """
        UPDATE events SET state = 0, due_at = @DueAt, lease_until = NULL, last_error = @Error WHERE id = @Id;
        """;

    private const string DeadSql = """
        UPDATE events SET state = 3, lease_until = NULL, last_error = @Error, done_at = NULL WHERE id = @Id;
        """;

    // Each state through its own partial index: done rows (kept days for deduplication) are never read, only
    // counted in a narrow index, so a scrape costs about the open work, not the table.
    private const string CountsSql = """
        SELECT state AS State, COUNT(*) AS Count FROM events INDEXED BY ix_events_open WHERE state IN (0, 1) GROUP BY state
        UNION ALL SELECT 2, COUNT(*) FROM events INDEXED BY ix_events_done WHERE state = 2
        UNION ALL SELECT 3, COUNT(*) FROM events INDEXED BY ix_events_dead WHERE state = 3;
        """;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public Task<IReadOnlyList<QueuedEvent>> ClaimAsync(int limit, TimeSpan lease, CancellationToken ct)
    {
        var now = Now;
        return writer.ExecuteAsync<IReadOnlyList<QueuedEvent>>(WriteKind.SingleStatement, context =>
            context.Connection.Query<QueuedEvent>(
            ClaimSql, new { Now = now, LeaseUntil = now + (long)lease.TotalMilliseconds, Limit = limit },
            context.Transaction).AsList(), 0, ct);
    }

    /// <summary>At start-up nothing of this process is in flight: claims of a previous run become pending again.</summary>
    public Task<int> ReleaseAllAsync(CancellationToken ct) => Write(ReleaseAllSql, new { }, ct);

    /// <summary>Gives a claimed event back untouched (shutdown): the attempt does not count.</summary>
    public Task<int> ReleaseAsync(long id, CancellationToken ct) => Write(ReleaseSql, new { Id = id }, ct);

    public Task<int> SetReplyStateAsync(long id, ReplyState state, CancellationToken ct) =>
        Write(ReplyStateSql, new { Id = id, ReplyState = (int)state }, ct);

    public Task<int> SetPartsSentAsync(long id, int partsSent, CancellationToken ct) =>
        Write(PartsSentSql, new { Id = id, PartsSent = partsSent }, ct);

    /// <summary>
    /// Marks the event done and, in the same write, sets or cancels the timers its conversation decided; so a crash
    /// can never keep one without the other. False (and no timer touched) when the event was done already.
    /// </summary>
    public Task<bool> CompleteAsync(
        QueuedEvent queued, string outcome, int partsSent, IReadOnlyList<TimerCommand> timers, CancellationToken ct)
    {
        var now = Now;
        return writer.ExecuteAsync(context =>
        {
            var first = context.Connection.Execute(DoneOnceSql,
                new { queued.Id, Outcome = outcome, PartsSent = partsSent, Now = now }, context.Transaction) == 1;
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

    /// <summary>Puts a dead-lettered event back into its lane; false when no dead event has that id.</summary>
    public IReadOnlyDictionary<EventState, long> CountByState()
    {
        using var connection = database.OpenReader();
        return connection.Query<(long State, long Count)>(CountsSql)
            .ToDictionary(row => (EventState)row.State, row => row.Count);
    }

    private Task<int> Write(string sql, object parameters, CancellationToken ct) =>
        writer.ExecuteAsync(
            WriteKind.SingleStatement, context => context.Connection.Execute(sql, parameters, context.Transaction), 0, ct);
}
