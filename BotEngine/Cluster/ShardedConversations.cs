using Akka.Actor;
using Akka.Hosting;
using BotEngine.Conversations;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>Cluster mode's <see cref="IConversations"/>: Asks go to the shard region, which finds the node hosting the conversation.</summary>
internal sealed class ShardedConversations(IRequiredActor<ConversationShardRegion> region, IOptions<BotEngineOptions> options)
    : ActorConversations(options)
{
    // Sharding takes the reset to the node where the conversation lives (its ConversationEntity).
    public override Task ResetAsync(ConversationKey key, CancellationToken ct) =>
        AskAsync<ConversationReset>(new ResetConversation(key), ct);

    protected override Task<IActorRef> RouteAsync(CancellationToken ct) => region.GetAsync(ct);
}
