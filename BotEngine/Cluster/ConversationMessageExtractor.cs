using Akka.Cluster.Sharding;
using BotEngine.Conversations;

namespace BotEngine.Cluster;

/// <summary>
/// Entity id = the conversation's lane (<c>line:U…</c>); shard = a MurmurHash of it (the same in every process, unlike
/// string.GetHashCode) modulo the shard count.
/// </summary>
internal sealed class ConversationMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message is IConversationCommand command ? command.Key.Lane : null;
}

/// <summary>Marker for the shard region in the ActorRegistry.</summary>
internal sealed class ConversationShardRegion;
