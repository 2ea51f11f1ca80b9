using Akka.Actor;
using Akka.Hosting;
using BotEngine.Conversations;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>Cluster mode's <see cref="IConversations"/>: Asks go to the shard region, which finds the node hosting the conversation.</summary>
internal sealed class ShardedConversations(IRequiredActor<ConversationShardRegion> region, IOptions<BotEngineOptions> options)
    : ActorConversations(options)
{
    // The admin endpoint answers 501 with this message.
    public override Task ResetAsync(ConversationKey key, CancellationToken ct) =>
        throw new NotSupportedException(
            "resetting a conversation is not available in cluster mode yet (BotEngine:Cluster:Enabled=true); nothing was changed");

    protected override Task<IActorRef> RouteAsync(CancellationToken ct) => region.GetAsync(ct);
}
