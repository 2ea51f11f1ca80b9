using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Options;

namespace BotEngine.Conversations;

/// <summary>The delivery worker's view of the conversation actors: an Ask with the configured timeout.</summary>
internal sealed class AkkaConversations(IRequiredActor<ConversationRouter> router, IOptions<BotEngineOptions> options)
    : IConversations
{
    public async Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct)
    {
        var actor = await router.GetAsync(ct);
        return await actor.Ask<EventHandled>(command, options.Value.ConversationTimeout, ct);
    }

    public async Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct)
    {
        var actor = await router.GetAsync(ct);
        return await actor.Ask<ConversationView>(new GetConversation(key), options.Value.ConversationTimeout, ct);
    }

    public async Task ResetAsync(ConversationKey key, CancellationToken ct)
    {
        var actor = await router.GetAsync(ct);
        await actor.Ask<ConversationReset>(new ResetConversation(key), options.Value.ConversationTimeout, ct);
    }
}
