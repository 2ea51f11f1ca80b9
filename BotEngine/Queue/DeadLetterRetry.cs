using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Storage;
using Dapper;

namespace BotEngine.Queue;

/// <summary>What retrying a dead letter did.</summary>
/// <param name="Error">Why it stays dead (a malformed event that still does not read), else null.</param>
internal sealed record DeadLetterRetried(bool Found, bool Requeued, string? Error);

/// <summary>
/// Puts a dead letter back into its conversation's lane in queue.db (the SQLite half of
/// <see cref="IDeadLetterStore.RetryAsync"/>; PostgreSQL's is PgDeadLetters). An event dead-lettered because it could not be read
/// (kind <c>malformed</c>) has no conversation to go to: its payload is read again, and it becomes that event (in
/// its lane, with its text) when it now reads, e.g. after a parser fix or once the bad bytes of broken UTF-8 are
/// replaced; otherwise it stays dead with the reason, instead of going to a "malformed" lane where it would be
/// marked done with no answer.
/// </summary>
internal sealed class DeadLetterRetry(SqliteWriter writer, ChannelSet channels, TimeProvider clock)
{
    private const string ReadSql = """
        SELECT channel AS Channel, kind AS Kind, payload AS Payload FROM events WHERE id = @Id AND state = 3;
        """;

    private const string RequeueSql = $"UPDATE events SET {DeadLetterRevival.RequeueSet} WHERE id = @Id AND state = 3;";

    private const string ReviveSql = $"UPDATE events SET {DeadLetterRevival.ReviveSet} WHERE id = @Id AND state = 3;";

    public Task<DeadLetterRetried> RetryAsync(long id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return writer.ExecuteAsync(context =>
        {
            var row = context.Connection.QuerySingleOrDefault<Row>(ReadSql, new { Id = id }, context.Transaction);
            if (row is null) return new DeadLetterRetried(false, false, null);
            if (row.Kind != DeadLetterRevival.MalformedKind)
            {
                context.Connection.Execute(RequeueSql, new { Id = id, Now = now }, context.Transaction);
                return new DeadLetterRetried(true, true, null);
            }

            var (e, error) = DeadLetterRevival.Reread(channels, row.Channel, row.Payload);
            if (e is not null)
            {
                context.Connection.Execute(ReviveSql,
                    DeadLetterRevival.ReviveParameters(id, now, ConversationKey.LaneOf(row.Channel, e.Conversation), e),
                    context.Transaction);
                return new DeadLetterRetried(true, true, null);
            }

            context.Connection.Execute(DeadLetterRevival.StillDeadSql, new { Id = id, Error = error }, context.Transaction);
            return new DeadLetterRetried(true, false, error);
        }, 0, ct);
    }

    private sealed record Row(string Channel, string Kind, string Payload);
}

/// <summary>
/// What both stores' retries share: the columns a retry sets (plain SQL, the same in SQLite and PostgreSQL; each store
/// adds its own), and what a dead letter that could not be read (kind <c>malformed</c>) reads as now.
/// </summary>
internal static class DeadLetterRevival
{
    public const string MalformedKind = "malformed";

    /// <summary>Pending again from attempt 0, due now. A refused push or multicast may be tried afresh; a
    /// maybe-delivered one keeps its ledger and its retry key.</summary>
    public const string RequeueSet = """
        state = 0, attempts = 0, due_at = @Now, lease_until = NULL,
        push_state = CASE push_state WHEN 4 THEN 0 ELSE push_state END,
        batch_id = CASE WHEN (SELECT b.state FROM batches b WHERE b.id = events.batch_id) = 4 THEN NULL ELSE batch_id END
        """;

    /// <summary>The event a malformed one now reads as (<see cref="ReviveParameters"/>), pending from attempt 0.</summary>
    public const string ReviveSet = """
        lane = @Lane, recipient = @Recipient, kind = @Kind, text = @Text, data = @Data, user_id = @UserId,
        reply_token = @ReplyToken, occurred_at = @OccurredAt, payload = @Payload,
        state = 0, attempts = 0, due_at = @Now, lease_until = NULL, outcome = NULL, last_error = NULL
        """;

    public const string StillDeadSql = "UPDATE events SET last_error = @Error WHERE id = @Id AND state = 3;";

    public static object ReviveParameters(long id, long now, string lane, InboundEvent e) => new
    {
        Id = id, Now = now, Lane = lane, e.Recipient, e.Input.Kind, e.Input.Text, e.Input.Data, e.Input.UserId,
        e.ReplyToken, OccurredAt = e.OccurredAt.ToUnixTimeMilliseconds(), e.Payload,
    };

    /// <summary>The one answerable event its payload now reads as, else why it stays dead.</summary>
    public static (InboundEvent? Event, string? Error) Reread(ChannelSet channels, string channel, string payload)
    {
        var parsed = channels.ParseStored(channel, payload);
        if (parsed is { Events: [var e], Malformed: [] } && !e.Standby) return (e, null);
        return (null, parsed switch
        {
            { Malformed: [var bad, ..] } => $"still malformed: {bad.Error}",
            { Events: [{ Standby: true }] } => "still not answerable: the event is in standby mode",
            _ => $"still malformed: it reads as {parsed.Events.Count} events; post that body again to split it",
        });
    }
}
