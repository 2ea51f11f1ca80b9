using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Tests.Support;

/// <summary>HOCON for actor specs: every conversation shard's journal and snapshot store in memory.</summary>
public static class InMemoryShards
{
    public static string Hocon { get; } = string.Join('\n', Enumerable.Range(0, ConversationShards.Count).SelectMany(shard => new[]
    {
        $"{ConversationShards.JournalPluginId(shard)}.class = \"Akka.Persistence.Journal.MemoryJournal, Akka.Persistence\"",
        $"{ConversationShards.SnapshotPluginId(shard)}.class = \"Akka.Persistence.Snapshot.MemorySnapshotStore, Akka.Persistence\"",
    }));
}
