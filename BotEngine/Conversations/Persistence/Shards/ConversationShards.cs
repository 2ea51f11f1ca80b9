using System.Text;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// Conversations are spread over <see cref="Count"/> SQLite files, each with its own Akka journal and snapshot
/// store: the plugin runs its SQLite queries one at a time (Microsoft.Data.Sqlite's async is synchronous), so one
/// file was the pipeline's serial stage. A conversation's shard is a stable hash of its persistence id; the count is
/// recorded in every file and checked at start, because changing it would put conversations in the wrong file.
/// </summary>
internal static class ConversationShards
{
    /// <summary>4: measured against 1, 2 and 8 in BENCHMARKS.md ("Conversation state"). Never change it on existing data.</summary>
    public const int Count = 4;

    public static int Of(string persistenceId)
    {
        // FNV-1a over UTF-8: the same in every process and runtime, unlike string.GetHashCode.
        // Every new conversation's actor asks this: hash on the stack, not a new byte array (ids are short).
        var max = Encoding.UTF8.GetMaxByteCount(persistenceId.Length);
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : new byte[max];
        var hash = 2166136261u;
        foreach (var b in bytes[..Encoding.UTF8.GetBytes(persistenceId, bytes)]) hash = (hash ^ b) * 16777619u;
        return (int)(hash % Count);
    }

    // Built once: every new conversation's actor asks for its plugin ids.
    private static readonly string[] JournalIds = [.. Enumerable.Range(0, Count).Select(JournalPluginId)];
    private static readonly string[] SnapshotIds = [.. Enumerable.Range(0, Count).Select(SnapshotPluginId)];

    /// <summary>The journal and snapshot-store plugins that hold a conversation.</summary>
    public static (string Journal, string Snapshots) PluginIds(string persistenceId)
    {
        var shard = Of(persistenceId);
        return (JournalIds[shard], SnapshotIds[shard]);
    }

    public static string FileName(int shard) => $"conversations-{shard}.db";

    /// <summary>The HOCON key of the shard's journal and snapshot-store blocks.</summary>
    public static string Identifier(int shard) => $"conversations-{shard}";

    public static string JournalPluginId(int shard) => $"akka.persistence.journal.{Identifier(shard)}";

    public static string SnapshotPluginId(int shard) => $"akka.persistence.snapshot-store.{Identifier(shard)}";
}
