using Akka.Actor;
using Akka.Actor.Setup;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>Hands each shard's <see cref="KnownConversations"/> to its journal and snapshot-store plugin actors.</summary>
internal sealed class ShardsSetup(IReadOnlyList<KnownConversations> known) : Setup
{
    /// <summary>The HOCON key, inside a plugin's block, naming its shard.</summary>
    public const string ShardKey = "botengine-shard";

    public IReadOnlyList<KnownConversations> Known { get; } = known;

    public static KnownConversations For(ActorSystem system, Akka.Configuration.Config pluginConfig)
    {
        var setup = system.Settings.Setup.Get<ShardsSetup>();
        if (!setup.HasValue) throw new InvalidOperationException("ShardsSetup is missing from the ActorSystem setup");
        return setup.Value.Known[pluginConfig.GetInt(ShardKey)];
    }
}
