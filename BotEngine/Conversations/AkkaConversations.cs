using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Options;

namespace BotEngine.Conversations;

/// <summary>
/// The delivery worker's view of the conversation actors: an Ask with the configured timeout to whatever routes to
/// them (the local <see cref="ConversationRouter"/>, or cluster mode's shard region).
/// </summary>
internal abstract class ActorConversations(IOptions<BotEngineOptions> options) : IConversations
{
    public Task<EventHandled> HandleAsync(HandleEvent command, CancellationToken ct) => AskAsync<EventHandled>(command, ct);

    public Task<ConversationView> GetAsync(ConversationKey key, CancellationToken ct) =>
        AskAsync<ConversationView>(new GetConversation(key), ct);

    public abstract Task ResetAsync(ConversationKey key, CancellationToken ct);

    protected abstract Task<IActorRef> RouteAsync(CancellationToken ct);

    protected async Task<T> AskAsync<T>(object message, CancellationToken ct) =>
        await (await RouteAsync(ct)).Ask<object>(message, options.Value.ConversationTimeout, ct) switch
        {
            T answer => answer,
            ConversationUnreadable unreadable => throw new ConversationUnreadableException(unreadable.Key, unreadable.Reason),
            var other => throw new InvalidOperationException($"unexpected answer {other.GetType().Name} to {message.GetType().Name}"),
        };
}

/// <summary>One process: the conversations under the local <see cref="ConversationRouter"/>.</summary>
internal sealed class AkkaConversations(IRequiredActor<ConversationRouter> router, IOptions<BotEngineOptions> options)
    : ActorConversations(options)
{
    public override Task ResetAsync(ConversationKey key, CancellationToken ct) =>
        AskAsync<ConversationReset>(new ResetConversation(key), ct);

    protected override Task<IActorRef> RouteAsync(CancellationToken ct) => router.GetAsync(ct);
}
