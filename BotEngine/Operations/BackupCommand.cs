using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Storage;
using Microsoft.Data.Sqlite;

namespace BotEngine.Operations;

/// <summary>
/// <c>botengine backup FILE</c>: a consistent copy of queue.db in FILE and of each conversation file
/// <c>conversations-{i}.db</c> in FILE with <c>.conversations-{i}</c> before its extension (<c>b.db</c> →
/// <c>b.conversations-0.db</c>), while the engine runs. <c>VACUUM INTO</c> reads each source in
/// one read transaction on its own connection, so the copy is a snapshot and the engine's writer never waits.
/// The queue is copied first: a conversation state taken later only knows more, and the actor answers an event it
/// already handled from its memory instead of stepping again.
/// </summary>
internal static class BackupCommand
{
    public static int Run(string file, BotEngineOptions options, TextWriter output, TextWriter error)
    {
        var folder = options.ResolveDataDirectory();
        var queue = Path.Combine(folder, SqliteDatabase.FileName);
        var queueCopy = Path.GetFullPath(file);
        var shards = Enumerable.Range(0, ConversationShards.Count)
            .Select(i => (File: Path.Combine(folder, ConversationShards.FileName(i)), Copy: ShardCopyPath(queueCopy, i)))
            .ToList();
        if (!File.Exists(queue))
        {
            error.WriteLine($"backup: no {SqliteDatabase.FileName} in {folder} (set --BotEngine:DataDirectory=DIR)");
            return 1;
        }

        if (File.Exists(queueCopy) || shards.Any(s => File.Exists(s.Copy)))
        {
            error.WriteLine($"backup: {queueCopy} or a conversations copy beside it exists already; choose a new name");
            return 1;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(queueCopy)!);
            output.WriteLine($"{queue} -> {queueCopy} ({Copy(queue, queueCopy)} bytes)");
            foreach (var (shard, copy) in shards)
            {
                output.WriteLine(File.Exists(shard)
                    ? $"{shard} -> {copy} ({Copy(shard, copy)} bytes)"
                    : $"{shard} does not exist (the engine never started here): not copied");
            }

            return 0;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"backup failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Where a conversation file's copy goes: <c>b.db</c> → <c>b.conversations-0.db</c>, <c>b</c> → <c>b.conversations-0</c>.</summary>
    public static string ShardCopyPath(string queueCopy, int shard) => Path.Combine(Path.GetDirectoryName(queueCopy)!,
        Path.GetFileNameWithoutExtension(queueCopy) + "." + Path.GetFileNameWithoutExtension(ConversationShards.FileName(shard))
        + Path.GetExtension(queueCopy));

    // Written under a temporary name, flushed to disk, then renamed: a copy cut short never looks complete.
    private static long Copy(string source, string target)
    {
        var partial = target + ".partial";
        File.Delete(partial);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = source,
            Mode = SqliteOpenMode.ReadWrite, // never creates a missing file; read-only WAL access needs a writable -shm
            Pooling = false,
        }.ToString();
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            SqliteDatabase.Execute(connection, "PRAGMA busy_timeout = 5000;");
            using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $target;";
            command.Parameters.AddWithValue("$target", partial);
            command.ExecuteNonQuery();
        }

        using (var stream = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, target);
        return new FileInfo(target).Length;
    }
}
