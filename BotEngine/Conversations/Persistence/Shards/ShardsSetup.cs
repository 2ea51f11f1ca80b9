using Akka.Actor;
using Akka.Actor.Setup;
using BotEngine.Storage;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// What each shard's journal and snapshot-store plugin actors need beyond their HOCON: the shard's
/// <see cref="KnownConversations"/>, and for the journal's own writer the file, its durability and a logger.
/// </summary>
internal sealed class ShardsSetup(ShardPreparation shards, IReadOnlyList<string> paths, Durability durability, ILoggerFactory loggers) : Setup
{
    /// <summary>The HOCON key, inside a plugin's block, naming its shard.</summary>
    public const string ShardKey = "botengine-shard";

    private ShardPreparation Shards { get; } = shards;

    private IReadOnlyList<string> Paths { get; } = paths;

    private Durability Durability { get; } = durability;

    private ILoggerFactory Loggers { get; } = loggers;

    public static KnownConversations For(ActorSystem system, Akka.Configuration.Config pluginConfig) =>
        Get(system).Shards.Shards.Known[pluginConfig.GetInt(ShardKey)];

    /// <summary>A new group-commit writer on the plugin's shard file, not yet started.</summary>
    public static SqliteWriter Writer(ActorSystem system, Akka.Configuration.Config pluginConfig)
    {
        var setup = Get(system);
        var shard = pluginConfig.GetInt(ShardKey);
        return new SqliteWriter(new SqliteDatabase(setup.Paths[shard], setup.Durability) { WalAlreadySet = true },
            setup.Loggers.CreateLogger<SqliteWriter>(), $"journal-writer-{shard}");
    }

    private static ShardsSetup Get(ActorSystem system)
    {
        var setup = system.Settings.Setup.Get<ShardsSetup>();
        return setup.HasValue ? setup.Value : throw new InvalidOperationException("ShardsSetup is missing from the ActorSystem setup");
    }
}
