using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Queue;

internal sealed record StoredBody(long Id, string Channel, long ReceivedAt, byte[] Body);

/// <summary>What splitting one body added: events new to the queue, duplicates ignored, malformed dead-lettered.</summary>
internal sealed record SplitCounts(string Channel, int Added, int Duplicates, int Malformed, int Standby);

/// <summary>Raw webhook bodies in, events out: the inbox half of the queue.</summary>
internal sealed class InboxStore(SqliteDatabase database, SqliteWriter writer, TimeProvider clock) : IInboxStore
{
    private const string AppendSql = "INSERT INTO bodies (channel, received_at, body) VALUES ($channel, $received_at, $body);";

    private const string UnsplitSql = """
        SELECT id AS Id, channel AS Channel, received_at AS ReceivedAt, body AS Body
        FROM bodies WHERE split = 0 AND id > @After ORDER BY id LIMIT @Limit;
        """;

    private const string InsertEventSql = """
        INSERT INTO events (channel, event_id, lane, recipient, body_id, kind, text, data, user_id, reply_token,
                            occurred_at, received_at, payload, state, due_at, retry_key, outcome, last_error, done_at)
        VALUES ($channel, $event_id, $lane, $recipient, $body_id, $kind, $text, $data, $user_id, $reply_token,
                $occurred_at, $received_at, $payload, $state, $received_at, $retry_key, $outcome, $last_error, $done_at)
        ON CONFLICT (channel, event_id) DO NOTHING;
        """;

    private const string MarkSplitSql = "UPDATE bodies SET split = 1 WHERE id = $id;";

    /// <summary>Stores a raw body durably; completes after the commit that holds it.</summary>
    public Task<long> AppendAsync(Channel channel, byte[] body, CancellationToken ct)
    {
        var receivedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return writer.ExecuteAsync(WriteKind.Urgent, context =>
        {
            var command = context.Command(AppendSql);
            command.Parameters.AddWithValue("$channel", channel.Name);
            command.Parameters.AddWithValue("$received_at", receivedAt);
            command.Parameters.AddWithValue("$body", body);
            command.ExecuteNonQuery();
            // The writer's own connection, right after its insert: the new row's id. Cheaper than RETURNING through a
            // data reader, on the path every webhook waits on.
            return SQLitePCL.raw.sqlite3_last_insert_rowid(context.Connection.Handle);
        }, body.Length, ct);
    }

    public async Task<IReadOnlyList<StoredBody>> ReadUnsplitAsync(long after, int limit, CancellationToken ct)
    {
        await Task.Yield();
        using var connection = database.OpenReader();
        var rows = await connection.QueryAsync<StoredBody>(
            new CommandDefinition(UnsplitSql, new { After = after, Limit = limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Inserts the events of several bodies and marks them split, in one transaction.</summary>
    public Task<IReadOnlyList<SplitCounts>> StoreSplitAsync(
        IReadOnlyList<(StoredBody Body, ParsedBody Parsed)> split, CancellationToken ct) =>
        writer.ExecuteAsync<IReadOnlyList<SplitCounts>>(context =>
        {
            var counts = new List<SplitCounts>(split.Count);
            foreach (var (body, parsed) in split)
            {
                int added = 0, duplicates = 0, malformed = 0, standby = 0;
                foreach (var e in parsed.Events)
                {
                    var inserted = InsertEvent(context, body, e);
                    added += inserted && !e.Standby ? 1 : 0;
                    standby += inserted && e.Standby ? 1 : 0;
                    duplicates += inserted ? 0 : 1;
                }

                foreach (var bad in parsed.Malformed)
                {
                    malformed += InsertMalformed(context, body, bad) ? 1 : 0;
                }

                var mark = context.Command(MarkSplitSql);
                mark.Parameters.AddWithValue("$id", body.Id);
                mark.ExecuteNonQuery();
                counts.Add(new SplitCounts(body.Channel, added, duplicates, malformed, standby));
            }

            return counts;
        }, split.Sum(s => (long)s.Body.Body.Length), ct);

    private bool InsertEvent(IWriteContext context, StoredBody body, InboundEvent e) => Insert(context, body, new EventRow(
        e.EventId, e.Conversation, e.Recipient, e.Input, e.ReplyToken, e.OccurredAt.ToUnixTimeMilliseconds(), e.Payload,
        // Standby events are kept (deduplication, audit) but never answered.
        e.Standby ? EventState.Done : EventState.Pending,
        e.Standby ? "standby" : null,
        null,
        e.Standby ? clock.GetUtcNow().ToUnixTimeMilliseconds() : null));

    private static bool InsertMalformed(IWriteContext context, StoredBody body, MalformedEvent bad) => Insert(context, body,
        new EventRow(
            bad.DedupeId,
            "malformed", "", new ConversationInput("malformed"), null, body.ReceivedAt, bad.Payload,
            EventState.Dead, "malformed", bad.Error, null));

    private static bool Insert(IWriteContext context, StoredBody body, EventRow row)
    {
        var command = context.Command(InsertEventSql);
        var p = command.Parameters;
        p.AddWithValue("$channel", body.Channel);
        p.AddWithValue("$event_id", row.EventId);
        p.AddWithValue("$lane", ConversationKey.LaneOf(body.Channel, row.Conversation));
        p.AddWithValue("$recipient", row.Recipient);
        p.AddWithValue("$body_id", body.Id);
        p.AddWithValue("$kind", row.Input.Kind);
        p.AddWithValue("$text", (object?)row.Input.Text ?? DBNull.Value);
        p.AddWithValue("$data", (object?)row.Input.Data ?? DBNull.Value);
        p.AddWithValue("$user_id", (object?)row.Input.UserId ?? DBNull.Value);
        p.AddWithValue("$reply_token", (object?)row.ReplyToken ?? DBNull.Value);
        p.AddWithValue("$occurred_at", row.OccurredAt);
        p.AddWithValue("$received_at", body.ReceivedAt);
        p.AddWithValue("$payload", row.Payload);
        p.AddWithValue("$state", (int)row.State);
        // The push retry key is chosen here, before any attempt, so every retry (also after a restart) reuses it.
        p.AddWithValue("$retry_key", Guid.NewGuid().ToString("D"));
        p.AddWithValue("$outcome", (object?)row.Outcome ?? DBNull.Value);
        p.AddWithValue("$last_error", (object?)row.Error ?? DBNull.Value);
        p.AddWithValue("$done_at", (object?)row.DoneAt ?? DBNull.Value);
        return command.ExecuteNonQuery() == 1;
    }

    private sealed record EventRow(
        string EventId, string Conversation, string Recipient, ConversationInput Input, string? ReplyToken,
        long OccurredAt, string Payload, EventState State, string? Outcome, string? Error, long? DoneAt);
}
