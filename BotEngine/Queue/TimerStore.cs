using System.Text.Json;
using BotEngine.Conversations;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Queue;

/// <summary>A waiting timer (a <c>timers</c> row): it fires into <paramref name="Lane"/> at <paramref name="DueAt"/>.</summary>
internal sealed record PendingTimer(string Lane, string Name, long DueAt, string Channel, string Recipient, string SetByEvent)
{
    /// <summary>The <c>timers</c> columns as this record's properties, in both storage modes' SELECTs.</summary>
    public const string Columns =
        "lane AS Lane, name AS Name, due_at AS DueAt, channel AS Channel, recipient AS Recipient, set_by_event AS SetByEvent";
}

/// <summary>
/// Durable timers: set or cancelled in the write that marks the deciding event done (<see cref="Apply"/>), moved
/// into the event lanes when due (<see cref="MoveDueAsync"/>). A fired timer is an ordinary event of kind
/// <see cref="TimerCommand.InputKind"/>, so it waits its turn behind the user's own messages.
/// </summary>
internal sealed class TimerStore(SqliteDatabase database, SqliteWriter writer, TimeProvider clock) : ITimerStore
{
    private const string UpsertSql = """
        INSERT INTO timers (lane, name, due_at, channel, recipient, set_by_event)
        VALUES (@Lane, @Name, @DueAt, @Channel, @Recipient, @SetByEvent)
        ON CONFLICT (lane, name) DO UPDATE SET due_at = excluded.due_at, channel = excluded.channel,
            recipient = excluded.recipient, set_by_event = excluded.set_by_event;
        """;

    private const string DeleteSql = "DELETE FROM timers WHERE lane = @Lane AND name = @Name;";

    // A timer of that name that already fired but still waits in the lane is superseded by a later set or cancel.
    // "state IN (0, 1)" repeats the partial index's condition word for word, so SQLite uses ix_events_open_lane.
    private const string SupersedeFiredSql = """
        UPDATE events SET state = 2, outcome = 'timer superseded', done_at = @Now, lease_until = NULL
        WHERE lane = @Lane AND state IN (0, 1) AND state = 0 AND kind = 'timer' AND data = @Name;
        """;

    private const string DueSql = $"SELECT {PendingTimer.Columns} FROM timers WHERE due_at <= @Now ORDER BY due_at LIMIT @Limit;";

    private const string InsertFiredSql = """
        INSERT INTO events (channel, event_id, lane, recipient, body_id, kind, data, occurred_at, received_at,
                            payload, state, due_at, retry_key)
        VALUES (@Channel, @EventId, @Lane, @Recipient, 0, 'timer', @Name, @DueAt, @Now, @Payload, 0, @Now, @RetryKey)
        ON CONFLICT (channel, event_id) DO NOTHING;
        """;

    private const string DeleteFiredSql = "DELETE FROM timers WHERE lane = @Lane AND name = @Name AND due_at = @DueAt;";

    private const string NextDueSql = "SELECT MIN(due_at) FROM timers;";

    private const string ListSql = $"SELECT {PendingTimer.Columns} FROM timers WHERE lane = @Lane ORDER BY due_at;";

    /// <summary>
    /// Applies an event's timer commands inside the caller's write item (the one that marks the event done):
    /// a set replaces the timer of that name, a cancel removes it.
    /// </summary>
    public static void Apply(IWriteContext context, QueuedEvent queued, IReadOnlyList<TimerCommand> timers, long now)
    {
        foreach (var timer in timers)
        {
            var key = new { queued.Lane, timer.Name, Now = now };
            context.Connection.Execute(SupersedeFiredSql, key, context.Transaction);
            if (timer.After is { } after)
            {
                context.Connection.Execute(UpsertSql, new
                {
                    queued.Lane,
                    timer.Name,
                    DueAt = now + (long)Math.Max(0, after.TotalMilliseconds),
                    queued.Channel,
                    queued.Recipient,
                    SetByEvent = queued.EventId,
                }, context.Transaction);
            }
            else
            {
                context.Connection.Execute(DeleteSql, key, context.Transaction);
            }
        }
    }

    /// <summary>
    /// Moves up to <paramref name="limit"/> due timers into the event lanes, in one transaction: each becomes a
    /// pending event with a unique id (so a repeated move inserts nothing) and no reply token (its answer is pushed).
    /// </summary>
    public Task<int> MoveDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return writer.ExecuteAsync(context =>
        {
            var due = context.Connection.Query<PendingTimer>(DueSql, new { Now = now, Limit = limit }, context.Transaction)
                .AsList();
            foreach (var timer in due)
            {
                context.Connection.Execute(InsertFiredSql, new
                {
                    timer.Channel,
                    EventId = $"timer:{timer.Lane}:{timer.Name}:{timer.DueAt}",
                    timer.Lane,
                    timer.Recipient,
                    timer.Name,
                    timer.DueAt,
                    Now = now,
                    Payload = JsonSerializer.Serialize(new { timer = timer.Name, dueAt = timer.DueAt, setBy = timer.SetByEvent }),
                    RetryKey = Guid.NewGuid().ToString("D"),
                }, context.Transaction);
                context.Connection.Execute(DeleteFiredSql, timer, context.Transaction);
            }

            return due.Count;
        }, 0, ct);
    }

    public async Task<long?> NextDueAtAsync(CancellationToken ct)
    {
        using var connection = database.OpenReader();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(NextDueSql, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PendingTimer>> ListAsync(string lane, CancellationToken ct)
    {
        using var connection = database.OpenReader();
        var rows = await connection.QueryAsync<PendingTimer>(new CommandDefinition(ListSql, new { Lane = lane }, cancellationToken: ct));
        return rows.AsList();
    }
}
