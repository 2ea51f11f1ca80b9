using BotEngine.Storage;
using BotEngine.Conversations.Persistence.Format;
using BotEngine.Conversations.Persistence.Shards;
using Microsoft.Data.Sqlite;

namespace BotEngine.Conversations.Persistence.Upgrade;

/// <summary>
/// Moves the journal and snapshots of builds before the owned format (one <c>akka.db</c>, Newtonsoft JSON) into
/// the shard files, each row rewritten in the current format and placed by its persistence id. One SQLite
/// transaction over all files (rollback journals, which make a commit across attached files atomic; WAL would not),
/// marked done in <c>akka.db</c> itself, so it runs once and a crash midway leaves nothing half-moved. A row that
/// cannot be converted is moved as it was: its conversation then reports a replay failure and can be reset.
/// </summary>
internal static class LegacyMigration
{
    public const string LegacyFileName = "akka.db";
    public const string MarkerTable = "botengine_migrated";

    public static void Run(string folder, IReadOnlyList<string> shardPaths, ILogger logger)
    {
        var legacy = Path.Combine(folder, LegacyFileName);
        if (!File.Exists(legacy)) return;

        using var connection = new SqliteConnection(SqliteDatabase.ConnectionStringFor(legacy));
        connection.Open();
        if (Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{MarkerTable}'") > 0) return;

        SqliteDatabase.Execute(connection, "PRAGMA journal_mode=DELETE;");
        for (var shard = 0; shard < shardPaths.Count; shard++)
        {
            using var attach = connection.CreateCommand();
            attach.CommandText = $"ATTACH DATABASE $path AS s{shard}";
            attach.Parameters.AddWithValue("$path", shardPaths[shard]);
            attach.ExecuteNonQuery();
            SqliteDatabase.Execute(connection, $"PRAGMA s{shard}.journal_mode=DELETE;");
        }

        // A plain BEGIN/COMMIT: Microsoft.Data.Sqlite's transaction object would have to be set on every command.
        SqliteDatabase.Execute(connection, "BEGIN IMMEDIATE;");
        Counts counts;
        try
        {
            var hasTables = Scalar(connection, "SELECT COUNT(*) FROM main.sqlite_master WHERE name IN ('journal', 'snapshot')") == 2;
            counts = hasTables ? Copy(connection) : new Counts(0, 0, 0);
            SqliteDatabase.Execute(connection, $"""
                CREATE TABLE main.{MarkerTable} (migrated_at TEXT NOT NULL, journal_rows INTEGER, snapshot_rows INTEGER,
                    unconverted_rows INTEGER, shards INTEGER);
                INSERT INTO main.{MarkerTable} VALUES (datetime('now'), {counts.Journal}, {counts.Snapshots},
                    {counts.Unconverted}, {shardPaths.Count});
                """);
            SqliteDatabase.Execute(connection, "COMMIT;");
        }
        catch
        {
            SqliteDatabase.Execute(connection, "ROLLBACK;");
            throw;
        }

        for (var shard = 0; shard < shardPaths.Count; shard++) SqliteDatabase.Execute(connection, $"DETACH DATABASE s{shard}");

        logger.LogWarning(
            "Migrated {Journal} journal rows and {Snapshots} snapshots of an earlier build from {File} into {Shards} " +
            "conversation files ({Unconverted} rows kept as they were: unreadable). {File} is no longer used.",
            counts.Journal, counts.Snapshots, legacy, shardPaths.Count, counts.Unconverted, legacy);
    }

    private sealed record Counts(long Journal, long Snapshots, long Unconverted);

    private static Counts Copy(SqliteConnection connection)
    {
        long journal = 0, snapshots = 0, unconverted = 0;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid
                FROM main.journal ORDER BY ordering
                """;
            using var rows = read.ExecuteReader();
            while (rows.Read())
            {
                var id = rows.GetString(2);
                var (payload, manifest, serializer) = Convert(
                    (byte[])rows[4], rows.IsDBNull(5) ? null : rows.GetString(5), rows.IsDBNull(6) ? null : rows.GetInt32(6));
                if (serializer != ConversationSerializer.Id) unconverted++;
                Insert(connection, $"""
                    INSERT INTO s{ConversationShards.Of(id)}.journal
                        (created, deleted, persistence_id, sequence_number, message, manifest, identifier, writer_uuid)
                    VALUES ($a, $b, $id, $seq, $payload, $manifest, $serializer, $c)
                    """, ("$a", rows[0]), ("$b", rows[1]), ("$id", id), ("$seq", rows[3]), ("$payload", payload),
                    ("$manifest", manifest), ("$serializer", serializer), ("$c", rows[7]));
                journal++;
            }
        }

        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT persistence_id, sequence_number, created, snapshot, manifest, serializer_id FROM main.snapshot";
            using var rows = read.ExecuteReader();
            while (rows.Read())
            {
                var id = rows.GetString(0);
                var (payload, manifest, serializer) = Convert(
                    (byte[])rows[3], rows.IsDBNull(4) ? null : rows.GetString(4), rows.IsDBNull(5) ? null : rows.GetInt32(5));
                if (serializer != ConversationSerializer.Id) unconverted++;
                Insert(connection, $"""
                    INSERT INTO s{ConversationShards.Of(id)}.snapshot
                        (persistence_id, sequence_number, created, snapshot, manifest, serializer_id)
                    VALUES ($id, $seq, $a, $payload, $manifest, $serializer)
                    """, ("$id", id), ("$seq", rows[1]), ("$a", rows[2]), ("$payload", payload),
                    ("$manifest", manifest), ("$serializer", serializer));
                snapshots++;
            }
        }

        return new(journal, snapshots, unconverted);
    }

    // Rows of the old default serializer are rewritten; anything else (already ours, or unknown) is kept as it was.
    private static (byte[] Payload, string? Manifest, int? Serializer) Convert(byte[] payload, string? manifest, int? serializer)
    {
        if (serializer != LegacyJson.NewtonsoftSerializerId) return (payload, manifest, serializer);
        try
        {
            var value = LegacyJson.Read(payload);
            return (PersistedFormat.Write(value), PersistedFormat.ManifestOf(value), ConversationSerializer.Id);
        }
#pragma warning disable CA1031 // one unreadable row must not stop the upgrade: it stays as it was and is reported on replay
        catch (Exception)
#pragma warning restore CA1031
        {
            return (payload, manifest, serializer);
        }
    }

    private static void Insert(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
