using BotEngine.Conversations;
using BotEngine.Channels;
using BotEngine.Queue;
using Dapper;
using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// Raw webhook bodies in, events out, on PostgreSQL. Any node may split; a split transaction first takes a
/// cluster-wide transaction lock, so two nodes never commit events of one lane out of body order, and it inserts the
/// events and merges each lane's head in one statement (dedupe on the unique (channel, event id) index).
/// </summary>
internal sealed class PgInbox(PgQueueDatabase database, PgAppendWriter appends, TimeProvider clock) : IInboxStore
{
    private const string UnsplitSql = """
        SELECT id AS Id, channel AS Channel, received_at AS ReceivedAt, body AS Body
        FROM bodies WHERE NOT split AND id > @After ORDER BY id LIMIT @Limit;
        """;

    // Standby and malformed rows are inserted done/dead and never touch lanes (state = 0 only). The lane upsert only
    // ever lowers the head (it adds open events); anything that removes one locks the lane first (PgLaneSql).
    private const string InsertSql = """
        SELECT pg_advisory_xact_lock(hashtext('botengine.split'));
        WITH ins AS (
            INSERT INTO events (channel, event_id, lane, recipient, body_id, kind, text, data, user_id, reply_token,
                                occurred_at, received_at, payload, state, due_at, retry_key, outcome, last_error, done_at)
            SELECT u.channel, u.event_id, u.lane, u.recipient, u.body_id, u.kind, u.text, u.data, u.user_id, u.reply_token,
                   u.occurred_at, u.received_at, u.payload, u.state::smallint, u.received_at, u.retry_key, u.outcome,
                   u.last_error, u.done_at
            FROM unnest(@channel, @event_id, @lane, @recipient, @body_id, @kind, @text, @data, @user_id, @reply_token,
                        @occurred_at, @received_at, @payload, @state, @retry_key, @outcome, @last_error, @done_at)
                 WITH ORDINALITY AS u(channel, event_id, lane, recipient, body_id, kind, text, data, user_id, reply_token,
                                      occurred_at, received_at, payload, state, retry_key, outcome, last_error, done_at, n)
            ORDER BY u.n
            ON CONFLICT (channel, event_id) DO NOTHING
            RETURNING id, channel, event_id, lane, due_at, state),
        heads AS (
            INSERT INTO lanes AS l (lane, head_id, head_due_at, touched_at)
            SELECT DISTINCT ON (lane) lane, id, due_at, @now FROM ins WHERE state = 0 ORDER BY lane, id
            ON CONFLICT (lane) DO UPDATE SET
                head_id     = CASE WHEN l.head_id IS NULL OR excluded.head_id < l.head_id THEN excluded.head_id ELSE l.head_id END,
                head_due_at = CASE WHEN l.head_id IS NULL OR excluded.head_id < l.head_id THEN excluded.head_due_at ELSE l.head_due_at END,
                touched_at  = excluded.touched_at)
        SELECT channel, event_id FROM ins;
        UPDATE bodies SET split = true WHERE id = ANY(@bodies);
        """;

    public Task<long> AppendAsync(Channel channel, byte[] body, CancellationToken ct) =>
        appends.AppendAsync(channel.Name, clock.GetUtcNow().ToUnixTimeMilliseconds(), body, ct);

    public async Task<IReadOnlyList<StoredBody>> ReadUnsplitAsync(long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<StoredBody>(
            new CommandDefinition(UnsplitSql, new { After = after, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Inserts the events of several bodies and marks them split, in one transaction under the split lock.</summary>
    public async Task<IReadOnlyList<SplitCounts>> StoreSplitAsync(
        IReadOnlyList<(StoredBody Body, ParsedBody Parsed)> split, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = new List<Row>();
        foreach (var (body, parsed) in split)
        {
            foreach (var e in parsed.Events) rows.Add(EventRow(body, e, now));
            foreach (var bad in parsed.Malformed) rows.Add(MalformedRow(body, bad));
        }

        var inserted = new HashSet<(string, string)>();
        await using (var connection = await database.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
            Add(command, rows, now, split.Select(s => s.Body.Id).ToArray());
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                await reader.NextResultAsync(ct); // the lock's row
                while (await reader.ReadAsync(ct)) inserted.Add((reader.GetString(0), reader.GetString(1)));
            }

            await transaction.CommitAsync(ct);
        }

        var counts = new List<SplitCounts>(split.Count);
        var index = 0;
        foreach (var (body, parsed) in split)
        {
            int added = 0, duplicates = 0, malformed = 0, standby = 0;
            foreach (var e in parsed.Events)
            {
                var isNew = inserted.Remove((rows[index++].Channel, e.EventId));
                added += isNew && !e.Standby ? 1 : 0;
                standby += isNew && e.Standby ? 1 : 0;
                duplicates += isNew ? 0 : 1;
            }

            foreach (var _ in parsed.Malformed) malformed += inserted.Remove((rows[index].Channel, rows[index++].EventId)) ? 1 : 0;
            counts.Add(new SplitCounts(body.Channel, added, duplicates, malformed, standby));
        }

        return counts;
    }

    private static Row EventRow(StoredBody body, InboundEvent e, long now) => new(
        body.Channel, e.EventId, ConversationKey.LaneOf(body.Channel, e.Conversation), e.Recipient, body.Id, e.Input.Kind, e.Input.Text,
        e.Input.Data, e.Input.UserId, e.ReplyToken, e.OccurredAt.ToUnixTimeMilliseconds(), body.ReceivedAt, e.Payload,
        e.Standby ? (int)EventState.Done : (int)EventState.Pending, e.Standby ? "standby" : null, null, e.Standby ? now : null);

    private static Row MalformedRow(StoredBody body, MalformedEvent bad) => new(
        body.Channel, bad.DedupeId,
        ConversationKey.LaneOf(body.Channel, "malformed"), "", body.Id, "malformed", null, null, null, null, body.ReceivedAt, body.ReceivedAt,
        bad.Payload, (int)EventState.Dead, "malformed", bad.Error, null);

    private static void Add(NpgsqlCommand command, List<Row> rows, long now, long[] bodies)
    {
        var p = command.Parameters;
        p.AddWithValue("channel", rows.Select(r => r.Channel).ToArray());
        p.AddWithValue("event_id", rows.Select(r => r.EventId).ToArray());
        p.AddWithValue("lane", rows.Select(r => r.Lane).ToArray());
        p.AddWithValue("recipient", rows.Select(r => r.Recipient).ToArray());
        p.AddWithValue("body_id", rows.Select(r => r.BodyId).ToArray());
        p.AddWithValue("kind", rows.Select(r => r.Kind).ToArray());
        p.AddWithValue("text", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Text).ToArray());
        p.AddWithValue("data", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Data).ToArray());
        p.AddWithValue("user_id", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.UserId).ToArray());
        p.AddWithValue("reply_token", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.ReplyToken).ToArray());
        p.AddWithValue("occurred_at", rows.Select(r => r.OccurredAt).ToArray());
        p.AddWithValue("received_at", rows.Select(r => r.ReceivedAt).ToArray());
        p.AddWithValue("payload", rows.Select(r => r.Payload).ToArray());
        p.AddWithValue("state", rows.Select(r => r.State).ToArray());
        // The push retry key is chosen here, before any attempt, so every retry (also after a restart) reuses it.
        p.AddWithValue("retry_key", rows.Select(_ => Guid.NewGuid().ToString("D")).ToArray());
        p.AddWithValue("outcome", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Outcome).ToArray());
        p.AddWithValue("last_error", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, rows.Select(r => r.Error).ToArray());
        p.AddWithValue("done_at", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, rows.Select(r => r.DoneAt).ToArray());
        p.AddWithValue("now", now);
        p.AddWithValue("bodies", bodies);
    }

    private sealed record Row(
        string Channel, string EventId, string Lane, string Recipient, long BodyId, string Kind, string? Text, string? Data,
        string? UserId, string? ReplyToken, long OccurredAt, long ReceivedAt, string Payload, int State, string? Outcome,
        string? Error, long? DoneAt);
}
