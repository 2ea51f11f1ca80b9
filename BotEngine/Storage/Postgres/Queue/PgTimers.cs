using BotEngine.Conversations;
using BotEngine.Queue;
using Dapper;
using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// Durable timers on PostgreSQL (the SQLite <see cref="TimerStore"/>'s behaviour): set or cancelled inside the
/// outcome transaction of the deciding event (its lane is locked), moved into the lanes when due by whichever node
/// holds the timers lock. Lock order everywhere: lanes, then timers, then events.
/// </summary>
internal sealed class PgTimers(PgQueueDatabase database, TimeProvider clock) : ITimerStore
{
    // One round trip for all of an event's timer commands: a fired timer of any of these names still waiting in the
    // lane is superseded, the cancelled names go, the set ones are written (each name once: see ApplyAsync).
    private const string ApplySql = """
        UPDATE events SET state = 2, outcome = 'timer superseded', done_at = @Now, lease_until = NULL
        WHERE lane = @Lane AND state = 0 AND kind = 'timer' AND data = ANY(@Names);
        DELETE FROM timers WHERE lane = @Lane AND name = ANY(@Cancelled);
        INSERT INTO timers (lane, name, due_at, channel, recipient, set_by_event)
        SELECT @Lane, s.name, s.due_at, @Channel, @Recipient, @SetByEvent
        FROM unnest(@SetNames::text[], @SetDues::bigint[]) AS s(name, due_at)
        ON CONFLICT (lane, name) DO UPDATE SET due_at = excluded.due_at, channel = excluded.channel,
            recipient = excluded.recipient, set_by_event = excluded.set_by_event;
        """;

    // Only timers still due with the same due time fire; their lanes are locked first, sorted (no deadlock).
    private const string MoveSql = """
        SELECT lane FROM lanes WHERE lane = ANY(@Lanes) ORDER BY lane FOR UPDATE;
        """;

    private const string FireSql = $"""
        WITH fired AS (
            DELETE FROM timers t USING unnest(@Lanes, @Names, @Dues) AS d(lane, name, due_at)
            WHERE t.lane = d.lane AND t.name = d.name AND t.due_at = d.due_at
            RETURNING t.lane, t.name, t.due_at, t.channel, t.recipient, t.set_by_event)
        INSERT INTO events (channel, event_id, lane, recipient, body_id, kind, data, occurred_at, received_at, payload,
                            state, due_at, retry_key)
        SELECT channel, 'timer:' || lane || ':' || name || ':' || due_at, lane, recipient, 0, 'timer', name, due_at, @Now,
               json_build_object('timer', name, 'dueAt', due_at, 'setBy', set_by_event)::text, 0, @Now,
               gen_random_uuid()::text
        FROM fired
        ON CONFLICT (channel, event_id) DO NOTHING;
        UPDATE lanes l SET head_id = h.id, head_due_at = h.due_at, touched_at = @Now
        FROM unnest(@Lanes) AS k(lane)
        {PgLaneSql.HeadOfLane}
        WHERE l.lane = k.lane;
        """;

    /// <summary>
    /// Applies an event's timer commands inside its completion (the lane is locked), in one statement batch. Only
    /// each name's last command counts, which is what applying them one by one leaves: a set then a cancel of one
    /// name leaves none, two sets the second one's due time.
    /// </summary>
    public static Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, QueuedEvent queued,
        IReadOnlyList<TimerCommand> timers, long now)
    {
        var last = new Dictionary<string, TimerCommand>(StringComparer.Ordinal);
        foreach (var timer in timers) last[timer.Name] = timer;
        var set = last.Values.Where(t => t.After is not null).ToArray();
        return connection.ExecuteAsync(ApplySql, new
        {
            queued.Lane, Now = now, Names = last.Keys.ToArray(),
            Cancelled = last.Values.Where(t => t.After is null).Select(t => t.Name).ToArray(),
            SetNames = set.Select(t => t.Name).ToArray(),
            SetDues = set.Select(t => now + (long)Math.Max(0, t.After!.Value.TotalMilliseconds)).ToArray(),
            queued.Channel, queued.Recipient, SetByEvent = queued.EventId,
        }, transaction);
    }

    /// <summary>Moves up to <paramref name="limit"/> due timers into their lanes; 0 when another node is doing it.</summary>
    public async Task<int> MoveDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_xact_lock(hashtext('botengine.timers'))", transaction: transaction))
        {
            return 0;
        }

        var due = (await connection.QueryAsync<PendingTimer>(
            $"SELECT {PendingTimer.Columns} FROM timers WHERE due_at <= @Now ORDER BY due_at LIMIT @Limit",
            new { Now = now, Limit = limit }, transaction)).AsList();
        if (due.Count == 0) return 0;
        var lanes = due.Select(t => t.Lane).Distinct().Order(StringComparer.Ordinal).ToArray();
        await connection.ExecuteAsync(
            "INSERT INTO lanes (lane, touched_at) SELECT unnest(@Lanes), @Now ON CONFLICT DO NOTHING", new { Lanes = lanes, Now = now }, transaction);
        await connection.ExecuteAsync(MoveSql, new { Lanes = lanes }, transaction);
        await connection.ExecuteAsync(FireSql, new
        {
            Lanes = due.Select(t => t.Lane).ToArray(), Names = due.Select(t => t.Name).ToArray(),
            Dues = due.Select(t => t.DueAt).ToArray(), Now = now,
        }, transaction);
        await transaction.CommitAsync(ct);
        return due.Count;
    }

    public async Task<long?> NextDueAtAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition("SELECT min(due_at) FROM timers", cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PendingTimer>> ListAsync(string lane, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<PendingTimer>(new CommandDefinition(
            $"SELECT {PendingTimer.Columns} FROM timers WHERE lane = @Lane ORDER BY due_at", new { Lane = lane }, cancellationToken: ct));
        return rows.AsList();
    }
}
