using Akka.Actor;
using Akka.Hosting;
using BotEngine.Conversations;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>Cluster mode's <see cref="IConversations"/>: Asks go to the shard region, which finds the node hosting the conversation.</summary>
internal sealed class ShardedConversations(IRequiredActor<ConversationShardRegion> region, IOptions<BotEngineOptions> options)
    : IConversations
{
    public async Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct)
    {
        var actor = await region.GetAsync(ct);
        return await actor.Ask<EventHandled>(command, options.Value.ConversationTimeout, ct);
    }

    public async Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct)
    {
        var actor = await region.GetAsync(ct);
        return await actor.Ask<ConversationView>(new GetConversation(key), options.Value.ConversationTimeout, ct);
    }

    // The admin endpoint answers 501 with this message.
    public Task ResetAsync(ConversationKey key, CancellationToken ct) =>
        throw new NotSupportedException(
            "resetting a conversation is not available in cluster mode yet (BotEngine:Cluster:Enabled=true); nothing was changed");
}
