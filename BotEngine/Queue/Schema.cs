using Microsoft.Data.Sqlite;

namespace BotEngine.Queue;

/// <summary>The queue file's tables. Bodies and events are apart so state changes never rewrite a 70 KB body.</summary>
internal static class Schema
{
    public const int Version = 2;

    // Times are Unix milliseconds. Event states: see EventState. Every statement is IF NOT EXISTS, so applying this
    // to a file of any older version adds what it lacks (version 1 → 2 adds the timers table).
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
            done_at        INTEGER
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
        """;

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

            command.CommandText = CreateSql + $"PRAGMA user_version = {Version};";
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

/// <summary>Stored in <c>events.reply_state</c>: what became of the reply token so far.</summary>
internal enum ReplyState
{
    NotTried = 0,

    /// <summary>A reply was sent (or about to be) and no answer says it failed: the token may be used.</summary>
    Attempted = 1,

    /// <summary>LINE answered an error (429/5xx): the token was not used.</summary>
    Refused = 2,
}
