using Microsoft.Data.Sqlite;

namespace BotEngine.Queue;

/// <summary>The queue file's tables. Bodies and events are apart so state changes never rewrite a 70 KB body.</summary>
internal static class Schema
{
    public const int Version = 3;

    // Times are Unix milliseconds. Event states: see EventState. Every statement is IF NOT EXISTS, so applying this
    // to a file of any older version adds what it lacks (version 1 → 2 adds the timers table, 2 → 3 the batches
    // table; the columns version 3 added to events are added by AddedColumns below).
    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS bodies (
            id          INTEGER PRIMARY KEY,
            channel     TEXT    NOT NULL,
            received_at INTEGER NOT NULL,
            body        BLOB    NOT NULL,
            split       INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS ix_bodies_unsplit ON bodies (id) WHERE split = 0;
        CREATE INDEX IF NOT EXISTS ix_bodies_received ON bodies (received_at);

        CREATE TABLE IF NOT EXISTS events (
            id             INTEGER PRIMARY KEY,
            channel        TEXT    NOT NULL,
            event_id       TEXT    NOT NULL,
            lane           TEXT    NOT NULL,
            recipient      TEXT    NOT NULL,
            body_id        INTEGER NOT NULL,
            kind           TEXT    NOT NULL,
            text           TEXT,
            data           TEXT,
            user_id        TEXT,
            reply_token    TEXT,
            occurred_at    INTEGER NOT NULL,
            received_at    INTEGER NOT NULL,
            payload        TEXT    NOT NULL,
            state          INTEGER NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            due_at         INTEGER NOT NULL,
            lease_until    INTEGER,
            reply_state    INTEGER NOT NULL DEFAULT 0,
            retry_key      TEXT    NOT NULL,
            parts_sent     INTEGER NOT NULL DEFAULT 0,
            outcome        TEXT,
            last_error     TEXT,
            done_at        INTEGER,
            push_state     INTEGER NOT NULL DEFAULT 0,
            push_first_at  INTEGER,
            batch_id       INTEGER,
            uncertain      INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_events_dedupe ON events (channel, event_id);
        CREATE INDEX IF NOT EXISTS ix_events_open ON events (id) WHERE state IN (0, 1);
        CREATE INDEX IF NOT EXISTS ix_events_open_lane ON events (lane, id) WHERE state IN (0, 1);
        CREATE INDEX IF NOT EXISTS ix_events_dead ON events (id) WHERE state = 3;
        CREATE INDEX IF NOT EXISTS ix_events_done ON events (done_at) WHERE state = 2;
        CREATE INDEX IF NOT EXISTS ix_events_unfinished_body ON events (body_id) WHERE state <> 2;

        -- Version 2: durable timers, one per (conversation, name); the TimerWorker moves due ones into events.
        CREATE TABLE IF NOT EXISTS timers (
            lane         TEXT    NOT NULL,
            name         TEXT    NOT NULL,
            due_at       INTEGER NOT NULL,
            channel      TEXT    NOT NULL,
            recipient    TEXT    NOT NULL,
            set_by_event TEXT    NOT NULL,
            PRIMARY KEY (lane, name)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_timers_due ON timers (due_at);

        -- Version 3: a multicast's composition and retry key, stored before its first attempt, so a retry or a
        -- restart sends the same request again; its events point at it (events.batch_id). state: see LedgerState.
        CREATE TABLE IF NOT EXISTS batches (
            id               INTEGER PRIMARY KEY,
            channel          TEXT    NOT NULL,
            retry_key        TEXT    NOT NULL,
            messages         TEXT    NOT NULL,
            recipients       TEXT    NOT NULL,
            state            INTEGER NOT NULL DEFAULT 0,
            parent_id        INTEGER,
            created_at       INTEGER NOT NULL,
            first_attempt_at INTEGER,
            last_error       TEXT,
            done_at          INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_batches_created ON batches (created_at);
        """;

    // Version 3's columns of events, for files made by an older version (SQLite has no ADD COLUMN IF NOT EXISTS).
    private static readonly (string Column, string Definition)[] AddedColumns =
    [
        ("push_state", "INTEGER NOT NULL DEFAULT 0"),
        ("push_first_at", "INTEGER"),
        ("batch_id", "INTEGER"),
        ("uncertain", "INTEGER NOT NULL DEFAULT 0"),
    ];

    // After the columns exist.
    private const string AfterColumnsSql = """
        CREATE INDEX IF NOT EXISTS ix_events_batch ON events (batch_id) WHERE batch_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_events_uncertain ON events (done_at) WHERE uncertain = 1;
        """;

    // Version 2 stored reply_state 2 when a reply was answered 429/5xx, which said nothing of earlier attempts that may
    // have gone through: read it as maybe delivered (never guess a token unused).
    private const string Version2ReplyStateSql = "UPDATE events SET reply_state = 1 WHERE reply_state = 2;";

    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version;";
            var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > Version)
            {
                throw new InvalidOperationException(
                    $"The queue file has schema version {version}; this engine knows up to {Version}. Upgrade the engine.");
            }

            command.CommandText = CreateSql;
            command.ExecuteNonQuery();
            foreach (var (column, definition) in AddedColumns)
            {
                command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = '{column}';";
                if (Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    command.CommandText = $"ALTER TABLE events ADD COLUMN {column} {definition};";
                    command.ExecuteNonQuery();
                }
            }

            command.CommandText = AfterColumnsSql + (version is > 0 and < 3 ? Version2ReplyStateSql : "")
                + $"PRAGMA user_version = {Version};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}

/// <summary>Stored as integers in <c>events.state</c>; never renumber.</summary>
internal enum EventState
{
    Pending = 0,
    Claimed = 1,
    Done = 2,
    Dead = 3,
}

/// <summary>
/// The send ledger, stored as integers in <c>events.reply_state</c> (the reply), <c>events.push_state</c> (the push of
/// the part <c>parts_sent</c> points at) and <c>batches.state</c> (a multicast); never renumber. Written before each
/// attempt as <see cref="MaybeDelivered"/>, then set to what the attempt showed; once an attempt may have been
/// delivered, no later answer makes it <see cref="NotSent"/> again.
/// </summary>
internal enum LedgerState
{
    /// <summary>No attempt can have reached the platform.</summary>
    NotSent = 0,

    /// <summary>An attempt was written and no answer came (timeout, cut connection, a crash mid-attempt).</summary>
    MaybeDelivered = 1,

    // 2: version 2's "refused with 429/5xx", migrated to MaybeDelivered.

    /// <summary>The platform accepted it.</summary>
    Delivered = 3,

    /// <summary>The platform refused it for good: a reply token invalid on its first use, a 4xx, a split multicast.</summary>
    Refused = 4,
}
