using BotEngine.Storage;
using System.Globalization;
using BotEngine.Conversations.Persistence.Upgrade;
using Microsoft.Data.Sqlite;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>The shard files, ready before the ActorSystem starts: their paths and known conversations.</summary>
internal sealed record PreparedShards(IReadOnlyList<string> Paths, IReadOnlyList<KnownConversations> Known);

/// <summary>
/// Opens or creates <c>conversations-{i}.db</c> for every shard, checks that each was written with this shard layout,
/// migrates a journal of an earlier build (<c>akka.db</c>) into them once, switches them to WAL and reads which
/// conversations they hold. All before the ActorSystem starts, so no plugin ever sees a half-prepared file.
/// </summary>
internal static class ShardFiles
{
    public static PreparedShards Prepare(BotEngineOptions options, ILogger logger)
    {
        var folder = options.ResolveDataDirectory();
        Directory.CreateDirectory(folder);
        RefuseOtherLayouts(folder);
        var paths = PathsIn(folder);
        // One connection per file for all three steps (the migration between them uses its own, over akka.db).
        var connections = new List<SqliteConnection>(paths.Length);
        try
        {
            foreach (var path in paths)
            {
                var connection = new SqliteConnection(SqliteDatabase.ConnectionStringFor(path));
                connections.Add(connection);
                connection.Open();
                CreateOrCheck(connection, path, connections.Count - 1);
            }

            LegacyMigration.Run(folder, paths, logger);

            var known = new List<KnownConversations>();
            foreach (var connection in connections)
            {
                SqliteDatabase.Execute(connection, "PRAGMA journal_mode=WAL;"); // stored in the file; after the migration (atomic over files)
                known.Add(ReadKnown(connection));
            }

            return new(paths, known);
        }
        finally
        {
            foreach (var connection in connections) connection.Dispose();
        }
    }

    /// <summary>The shard files of a data folder, by shard.</summary>
    public static string[] PathsIn(string folder) => [.. Enumerable.Range(0, ConversationShards.Count)
        .Select(shard => Path.Combine(folder, ConversationShards.FileName(shard)))];

    // A file beyond this build's count means the data was written with more shards: its conversations would be lost.
    private static void RefuseOtherLayouts(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "conversations-*.db"))
        {
            var name = Path.GetFileNameWithoutExtension(file)["conversations-".Length..];
            if (int.TryParse(name, CultureInfo.InvariantCulture, out var shard) && shard >= ConversationShards.Count)
            {
                throw new InvalidOperationException(
                    $"{file} belongs to a layout of more than {ConversationShards.Count} conversation shards; this build " +
                    "cannot read it (docs/PERSISTENCE.md, shard layout)");
            }
        }
    }

    // The schema and the layout row in one transaction: statement by statement, a new file cost 13 commits of a few
    // fsyncs each (rollback journal: WAL comes after the migration, which needs it off), a third of a fresh start.
    private static void CreateOrCheck(SqliteConnection connection, string path, int shard)
    {
        SqliteDatabase.Execute(connection, "BEGIN IMMEDIATE;"); // plain SQL: the commands below need no transaction object
        string? mismatch;
        try
        {
            SqliteDatabase.Execute(connection, AkkaSchema.CreateSql);
            mismatch = CheckOrWriteLayout(connection, path, shard);
            SqliteDatabase.Execute(connection, "COMMIT;");
        }
        catch
        {
            SqliteDatabase.Execute(connection, "ROLLBACK;");
            throw;
        }

        if (mismatch is not null) throw new InvalidOperationException(mismatch);
    }

    private static string? CheckOrWriteLayout(SqliteConnection connection, string path, int shard)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT shard, shards, hash FROM botengine_layout";
        using (var reader = read.ExecuteReader())
        {
            if (reader.Read())
            {
                var (s, n, hash) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2));
                return s == shard && n == ConversationShards.Count && hash == AkkaSchema.HashName ? null
                    : $"{path} is shard {s} of {n} ({hash}); this build expects shard {shard} of " +
                      $"{ConversationShards.Count} ({AkkaSchema.HashName}) (docs/PERSISTENCE.md, shard layout)";
            }
        }

        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO botengine_layout (shard, shards, hash) VALUES ($shard, $shards, $hash)";
        write.Parameters.AddWithValue("$shard", shard);
        write.Parameters.AddWithValue("$shards", ConversationShards.Count);
        write.Parameters.AddWithValue("$hash", AkkaSchema.HashName);
        write.ExecuteNonQuery();
        return null;
    }

    private static KnownConversations ReadKnown(SqliteConnection connection)
    {
        var known = new KnownConversations();
        using var command = connection.CreateCommand();
        // Deleted journal rows count: Akka keeps the highest one of a conversation after a delete (its sequence number).
        command.CommandText = "SELECT DISTINCT persistence_id FROM journal UNION SELECT DISTINCT persistence_id FROM snapshot";
        using var reader = command.ExecuteReader();
        while (reader.Read()) known.Add(reader.GetString(0));
        return known;
    }
}
