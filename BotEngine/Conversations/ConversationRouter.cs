using Akka;
using Akka.Actor;

namespace BotEngine.Conversations;

/// <summary>
/// The one entry point for conversations (actor name <c>conversations</c>, in the ActorRegistry as
/// <c>ConversationRouter</c>): one <see cref="ConversationActor"/> child per <see cref="ConversationKey"/>, created on
/// its first command. Passivation is safe: while a child stops, its commands are held and handed to a fresh
/// incarnation after <see cref="Terminated"/>, with their original senders. A child whose recovery fails makes its
/// conversation unreadable: what was sent to it, and every later command, is answered at once with
/// <see cref="ConversationUnreadableException"/> until the conversation is reset (ConversationRouter.Reset.cs).
/// </summary>
internal sealed partial class ConversationRouter : ReceiveActor
{
    private readonly IBot _bot;
    private readonly ConversationSettings _settings;
    private readonly ReplayFailures _failures;
    private readonly Dictionary<ConversationKey, IActorRef> _children = [];
    private readonly Dictionary<IActorRef, ConversationKey> _keys = [];
    private readonly Dictionary<ConversationKey, Queue<(IConversationCommand Command, IActorRef Sender)>> _held = [];
    // Commands forwarded to a child that has not recovered yet: the router answers them if its recovery fails.
    private readonly Dictionary<IActorRef, List<(IConversationCommand Command, IActorRef Sender)>> _recovering = [];
    private IActorRef? _stopRequester;

    public ConversationRouter(IBot bot, ConversationSettings settings, ReplayFailures failures)
    {
        _bot = bot;
        _settings = settings;
        _failures = failures;

        Receive<ResetConversation>(Reset);
        Receive<IConversationCommand>(Route);
        Receive<Recovered>(_ => _recovering.Remove(Sender));
        Receive<ReplayFailed>(OnReplayFailed);
        Receive<ConversationErased>(OnErased);
        Receive<Passivate>(_ => BeginStop(Sender));
        Receive<Terminated>(t => OnStopped(t.ActorRef));
        Receive<StopConversations>(_ => StopAll());
        Receive<GetConversationStats>(_ => Sender.Tell(new ConversationStats(_children.Count)));
    }

    public static Props Props(IBot bot, ConversationSettings settings, ReplayFailures failures) =>
        Akka.Actor.Props.Create(() => new ConversationRouter(bot, settings, failures));

    private void Route(IConversationCommand command)
    {
        if (_stopRequester is not null)
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException("Conversations are shutting down")));
        }
        else if (_held.TryGetValue(command.Key, out var held))
        {
            held.Enqueue((command, Sender)); // its child is stopping (or being reset): the next incarnation gets it
        }
        else if (_unreadable.TryGetValue(command.Key, out var reason))
        {
            Sender.Tell(ConversationAnswers.Unreadable(command.Key, reason));
        }
        else
        {
            Send(_children.GetValueOrDefault(command.Key) ?? Start(command.Key), command, Sender);
        }
    }

    private void Send(IActorRef child, IConversationCommand command, IActorRef sender)
    {
        if (_recovering.TryGetValue(child, out var pending)) pending.Add((command, sender));
        child.Tell(command, sender);
    }

    private IActorRef Start(ConversationKey key)
    {
        var child = Context.ActorOf(ConversationActor.Props(key, _bot, _settings), key.ActorName);
        Context.Watch(child);
        _children[key] = child;
        _keys[child] = key;
        _recovering[child] = [];
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
        if (_erasers.Remove(child, out var erased))
        {
            Erased(erased, "the reset stopped before it finished"); // it never reported
            return;
        }

        _recovering.Remove(child);
        if (!_keys.Remove(child, out var key)) return;
        _children.Remove(key);
        if (_resets.ContainsKey(key)) StartEraser(key); // commands stay held until the reset is done
        else Release(key);

        if (_stopRequester is not null && _children.Count == 0) _stopRequester.Tell(Done.Instance);
    }

    // Commands held for a conversation go to a fresh incarnation, in order, with their original senders.
    private void Release(ConversationKey key)
    {
        if (!_held.Remove(key, out var held) || held.Count == 0) return;
        if (_stopRequester is not null || _unreadable.ContainsKey(key))
        {
            foreach (var (_, sender) in held)
            {
                sender.Tell(_stopRequester is not null
                    ? (object)new Status.Failure(new InvalidOperationException("Conversations are shutting down"))
                    : ConversationAnswers.Unreadable(key, _unreadable[key]));
            }

            return;
        }

        var fresh = Start(key);
        foreach (var (command, sender) in held) Send(fresh, command, sender);
    }

    private void StopAll()
    {
        _stopRequester = Sender;
        foreach (var child in _children.Values) BeginStop(child);
        if (_children.Count == 0) _stopRequester.Tell(Done.Instance);
    }
}
