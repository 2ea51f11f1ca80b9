namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The lane protocol's SQL. Invariants of committed state: a lane has at most one claim token and one event in
/// flight, the one claimed with it; <c>lanes.head_id</c> is the lane's lowest open event; only the head is claimed,
/// only while unclaimed and due. A transaction that makes an open event not open (done, dead) or re-opens one locks the
/// lane row first, then changes events, then recomputes the head in a later statement (READ COMMITTED gives each
/// statement a snapshot taken after the lock, so it sees whatever the lane's previous holder committed). Without the
/// lane row, a claimer could see id 101 as a lane's oldest open event while a timer fire holding id 100 had not
/// committed yet, and both would end up in flight.
/// </summary>
internal static class PgLaneSql
{
    // SKIP LOCKED: claimers never wait for each other; a lane that another claimer just took is re-checked on its
    // newest row version (claim_token IS NULL), so it is never taken twice.
    public const string Claim = """
        WITH ready AS (
            SELECT lane, head_id FROM lanes
            WHERE claim_token IS NULL AND head_id IS NOT NULL AND head_due_at <= @Now
              AND split_part(lane, ':', 1) <> ALL(@Paused) AND (@Only::text IS NULL OR split_part(lane, ':', 1) = @Only)
            ORDER BY head_due_at, head_id
            LIMIT @Limit
            FOR UPDATE SKIP LOCKED),
        taken AS (
            UPDATE lanes l SET claim_token = nextval('claim_tokens'), claimed_by = @Me, lease_until = @LeaseUntil,
                               touched_at = @Now
            FROM ready r WHERE l.lane = r.lane
            RETURNING l.lane, r.head_id, l.claim_token)
        UPDATE events e SET state = 1, lease_until = @LeaseUntil, attempts = e.attempts + 1, claimed_by = @Me
        FROM taken t WHERE e.id = t.head_id AND e.state = 0
        RETURNING e.id AS Id, e.channel AS Channel, e.event_id AS EventId, e.lane AS Lane, e.recipient AS Recipient,
                  e.kind AS Kind, e.text AS Text, e.data AS Data, e.user_id AS UserId, e.reply_token AS ReplyToken,
                  e.received_at AS ReceivedAt, e.attempts::bigint AS Attempts, e.reply_state::bigint AS ReplyState,
                  e.retry_key AS RetryKey, e.parts_sent::bigint AS PartsSent, e.push_state::bigint AS PushState,
                  e.push_first_at AS PushFirstAt, e.batch_id AS BatchId, e.occurred_at AS OccurredAt,
                  t.claim_token AS ClaimToken;
        """;

    /// <summary>
    /// Locks the lane row if it still carries this claim's token: a row means the claim is held until the transaction
    /// ends (every takeover, a reap or a restarted node's release, locks that row first and skips it while locked), so
    /// the outcome statements below need no fence of their own; no row: the claim was taken over, nothing may change.
    /// </summary>
    public const string LockLane = "SELECT 1 FROM lanes WHERE lane = @Lane AND claim_token = @Token FOR UPDATE;";

    public const string Done = """
        UPDATE events SET state = 2, outcome = @Outcome, parts_sent = @PartsSent, done_at = @Now, lease_until = NULL,
                          uncertain = @Uncertain
        WHERE id = @Id AND state = 1;
        """;

    public const string Retry = """
        UPDATE events SET state = 0, due_at = @DueAt, lease_until = NULL, last_error = @Error WHERE id = @Id AND state = 1;
        """;

    public const string Pause = """
        UPDATE events SET state = 0, due_at = @DueAt, lease_until = NULL, attempts = GREATEST(attempts - 1, 0),
                          last_error = @Error
        WHERE id = @Id AND state = 1;
        """;

    public const string Release = """
        UPDATE events SET state = 0, lease_until = NULL, attempts = GREATEST(attempts - 1, 0) WHERE id = @Id AND state = 1;
        """;

    public const string Dead = """
        UPDATE events SET state = 3, lease_until = NULL, last_error = @Error, done_at = NULL WHERE id = @Id AND state = 1;
        """;

    /// <summary>
    /// The lane's head: its lowest open (pending or in-flight) event, as <c>h.id</c> and <c>h.due_at</c> (NULLs when
    /// none), for the lanes of a <c>k(lane)</c> row source. Every statement that moves a head joins this one.
    /// </summary>
    public const string HeadOfLane = "LEFT JOIN LATERAL (SELECT id, due_at FROM events WHERE lane = k.lane AND state IN (0, 1) ORDER BY id LIMIT 1) h ON true";

    /// <summary>Frees the lane and points it at its lowest open event, fenced on the claim token.</summary>
    public const string Unclaim = $"""
        UPDATE lanes l SET claim_token = NULL, claimed_by = NULL, lease_until = NULL, touched_at = @Now,
                           head_id = h.id, head_due_at = h.due_at
        FROM (SELECT @Lane::text AS lane) k
        {HeadOfLane}
        WHERE l.lane = k.lane AND l.claim_token = @Token;
        """;

    /// <summary>
    /// Claims whose lease ran out or whose node stopped heart-beating: the in-flight event is pending again (it stays
    /// the head; attempts are kept) and the lane is free. Idempotent, never waits.
    /// </summary>
    public static readonly string Reap = FreeClaims("""
        lease_until <= @Now
        OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.incarnation = lanes.claimed_by AND n.heartbeat_at >= @Stale)
        """);

    /// <summary>At start: the claims of earlier runs of this node (same name, other incarnation) are released at once.</summary>
    public static readonly string ReleasePreviousRuns = FreeClaims("claimed_by LIKE @NamePrefix AND claimed_by <> @Me");

    // Frees the claimed lanes that match the condition (on lanes' columns) and makes their in-flight events pending
    // again; lanes another transaction holds are skipped (the next pass takes them).
    private static string FreeClaims(string condition) => $"""
        WITH gone AS (
            SELECT lane FROM lanes
            WHERE claim_token IS NOT NULL AND ({condition})
            FOR UPDATE SKIP LOCKED),
        ev AS (UPDATE events e SET state = 0, lease_until = NULL, claimed_by = NULL
               FROM gone g WHERE e.lane = g.lane AND e.state = 1)
        UPDATE lanes l SET claim_token = NULL, claimed_by = NULL, lease_until = NULL
        FROM gone g WHERE l.lane = g.lane;
        """;
}
