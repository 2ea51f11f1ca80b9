using Akka.Actor;
using Akka.Event;
using BotEngine.Conversations;
using ShardPassivate = Akka.Cluster.Sharding.Passivate;

namespace BotEngine.Cluster;

/// <summary>
/// Cluster mode's shard entity for one conversation: hosts its <see cref="ConversationActor"/> as a child, and runs a
/// reset where the conversation lives. Sharding sends a reset asked on any node here, so the child is stopped (after
/// its write in flight) and the <see cref="ConversationEraser"/> deletes the journal and snapshots while no actor of
/// that conversation runs anywhere; commands that arrive meanwhile wait, then go to a fresh child that starts over.
/// The eraser replays nothing, so a conversation whose replay fails can be reset too. A replay that fails for good
/// makes the conversation unreadable, as in local mode (ConversationRouter): what was sent to the child meanwhile, and
/// every later command, is answered at once with <see cref="ConversationUnreadableException"/> until a reset, and
/// <see cref="ReplayFailures"/> reports it on this node's <c>/healthz</c>.
/// </summary>
internal sealed class ConversationEntity : ReceiveActor, IWithUnboundedStash
{
    private readonly ConversationKey _key;
    private readonly Func<Props> _conversation;
    private readonly ReplayFailures _failures;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _resetRequesters = [];
    private IActorRef? _child;
    private IActorRef? _eraser;
    private bool _stopAfterReset;
    // Commands forwarded to a child that has not recovered yet (null once it has): answered here if its replay fails.
    private List<(IConversationCommand Command, IActorRef Sender)>? _recovering;
    private string? _unreadable; // why the conversation cannot be read, until a reset

    public ConversationEntity(ConversationKey key, Func<Props> conversation, ReplayFailures failures)
    {
        _key = key;
        _conversation = conversation;
        _failures = failures;
        Running();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(ConversationKey key, IBot bot, ConversationSettings settings, ReplayFailures failures) =>
        Akka.Actor.Props.Create(() => new ConversationEntity(key, () => ConversationActor.Props(key, bot, settings), failures));

    private void Running()
    {
        Receive<ResetConversation>(_ =>
        {
            _resetRequesters.Add(Sender);
            Become(Resetting);
            if (_child is null) StartEraser();
            else _child.Tell(StopConversation.Instance); // waits behind a persist in flight; Terminated then erases
        });
        // The shard's hand-off (or our own passivation) stop: the child finishes its write first.
        Receive<StopConversation>(_ =>
        {
            if (_child is null)
            {
                Context.Stop(Self);
                return;
            }

            _child.Tell(StopConversation.Instance);
            Become(Stopping);
        });
        Receive<Passivate>(_ => Context.Parent.Tell(new ShardPassivate(StopConversation.Instance)));
        Receive<Terminated>(t => // failed write or replay: the next command starts afresh
        {
            if (!t.ActorRef.Equals(_child)) return;
            _child = null;
            _recovering = null;
        });
        Receive<IConversationCommand>(command =>
        {
            if (_unreadable is not null)
            {
                Sender.Tell(ConversationAnswers.Unreadable(_key, _unreadable));
                return;
            }

            var child = Child();
            _recovering?.Add((command, Sender));
            child.Forward(command);
        });
        ReceiveChildNotices();
    }

    private void Resetting()
    {
        Receive<ResetConversation>(_ => _resetRequesters.Add(Sender)); // one reset under way answers both
        Receive<StopConversation>(_ => _stopAfterReset = true); // hand-off waits for the erase to finish
        Receive<Passivate>(_ => { });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_child))
            {
                _child = null;
                StartEraser();
            }
            else if (t.ActorRef.Equals(_eraser))
            {
                Erased("the eraser stopped before it finished");
            }
        });
        Receive<ConversationErased>(erased => Erased(erased.Error));
        Receive<IConversationCommand>(_ => Stash.Stash());
        ReceiveChildNotices();
    }

    private void Stopping()
    {
        Receive<Terminated>(t => { if (t.ActorRef.Equals(_child)) Context.Stop(Self); });
        // Sharding buffers what comes for a stopping entity only after Passivate; a command racing the hand-off is
        // dropped here and its Ask times out, so the delivery worker retries it where the conversation moved.
        ReceiveAny(_ => { });
    }

    private void ReceiveChildNotices()
    {
        Receive<Recovered>(_ => _recovering = null);
        Receive<ReplayFailed>(OnReplayFailed);
    }

    private void OnReplayFailed(ReplayFailed failed)
    {
        _log.Warning("Replay of {0} failed: {1}", _key.Lane, failed.Reason);
        _failures.Failed(_key, failed.Reason, failed.Permanent);
        if (failed.Permanent) _unreadable = failed.Reason;
        foreach (var (_, sender) in _recovering ?? []) sender.Tell(ConversationAnswers.ReplayFailed(_key, failed));

        _recovering = null;
    }

    private IActorRef Child()
    {
        if (_child is not null) return _child;
        _recovering = [];
        _child = Context.ActorOf(_conversation(), "conversation");
        Context.Watch(_child);
        return _child;
    }

    private void StartEraser()
    {
        _eraser = Context.ActorOf(ConversationEraser.Props(_key)); // unnamed: a second reset need not wait for the name
        Context.Watch(_eraser);
    }

    private void Erased(string? error)
    {
        if (_eraser is not null) Context.Unwatch(_eraser);
        _eraser = null;
        foreach (var requester in _resetRequesters) requester.Tell(ConversationAnswers.Reset(_key, error));

        _resetRequesters.Clear();
        if (error is null)
        {
            _log.Info("Conversation {0} was reset", _key.Lane);
            _unreadable = null;
            _failures.Reset(_key);
        }

        if (_stopAfterReset)
        {
            Context.Stop(Self);
            return;
        }

        Become(Running);
        Stash.UnstashAll();
    }
}
