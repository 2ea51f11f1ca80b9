using Akka;
using Akka.Actor;

namespace BotEngine.Conversations;

/// <summary>
/// The one entry point for conversations (actor name <c>conversations</c>, in the ActorRegistry as
/// <c>ConversationRouter</c>): one <see cref="ConversationActor"/> child per <see cref="ConversationKey"/>, created on
/// its first command. Passivation is safe: while a child stops, its commands are held and handed to a fresh
/// incarnation after <see cref="Terminated"/>, with their original senders.
/// </summary>
internal sealed class ConversationRouter : ReceiveActor
{
    private readonly IBot _bot;
    private readonly ConversationSettings _settings;
    private readonly Dictionary<ConversationKey, IActorRef> _children = [];
    private readonly Dictionary<IActorRef, ConversationKey> _keys = [];
    private readonly Dictionary<ConversationKey, Queue<(IConversationCommand Command, IActorRef Sender)>> _held = [];
    private IActorRef? _stopRequester;

    public ConversationRouter(IBot bot, ConversationSettings settings)
    {
        _bot = bot;
        _settings = settings;

        Receive<IConversationCommand>(Route);
        Receive<Passivate>(_ => BeginStop(Sender));
        Receive<Terminated>(t => OnStopped(t.ActorRef));
        Receive<StopConversations>(_ => StopAll());
        Receive<GetConversationStats>(_ => Sender.Tell(new ConversationStats(_children.Count)));
    }

    public static Props Props(IBot bot, ConversationSettings settings) =>
        Akka.Actor.Props.Create(() => new ConversationRouter(bot, settings));

    private void Route(IConversationCommand command)
    {
        if (_stopRequester is not null)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException("Conversations are shutting down")));
        }
        else if (_held.TryGetValue(command.Key, out var held))
        {
            held.Enqueue((command, Sender)); // its child is stopping: the next incarnation gets it
        }
        else
        {
            (_children.GetValueOrDefault(command.Key) ?? Start(command.Key)).Forward(command);
        }
    }

    private IActorRef Start(ConversationKey key)
    {
        var child = Context.ActorOf(ConversationActor.Props(key, _bot, _settings), key.ActorName);
        Context.Watch(child);
        _children[key] = child;
        _keys[child] = key;
        return child;
    }

    // Everything routed before this point is already in the child's mailbox, ahead of the stop command.
    private void BeginStop(IActorRef child)
    {
        if (!_keys.TryGetValue(child, out var key) || _held.ContainsKey(key)) return;
        _held[key] = new();
        child.Tell(StopConversation.Instance);
    }

    private void OnStopped(IActorRef child)
    {
        if (!_keys.Remove(child, out var key)) return;
        _children.Remove(key);
        if (_held.Remove(key, out var held) && held.Count > 0)
        {
            if (_stopRequester is null)
            {
                var fresh = Start(key);
                foreach (var (command, sender) in held) fresh.Tell(command, sender);
            }
            else
            {
                foreach (var (_, sender) in held)
                    sender.Tell(new Status.Failure(new InvalidOperationException("Conversations are shutting down")));
            }
        }

        if (_stopRequester is not null && _children.Count == 0) _stopRequester.Tell(Done.Instance);
    }

    private void StopAll()
    {
        _stopRequester = Sender;
        foreach (var child in _children.Values) BeginStop(child);
        if (_children.Count == 0) _stopRequester.Tell(Done.Instance);
    }
}
