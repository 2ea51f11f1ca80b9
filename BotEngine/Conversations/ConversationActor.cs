using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// One conversation: decides with the pure <see cref="ConversationState"/>, persists, then answers. A bot that
/// throws, or a journal write that fails, is answered with <see cref="Status.Failure"/> so the caller's Ask
/// fails at once instead of timing out.
/// </summary>
internal sealed class ConversationActor : UntypedPersistentActor, IWithTimers
{
    private readonly ConversationKey _key;
    private readonly IBot _bot;
    private readonly ConversationSettings _settings;
    private ConversationState _state = ConversationState.Initial;
    private IActorRef? _awaitingWrite;
    private bool _snapshotInFlight;
    private bool _stopRequested;
    private long _lastCommand; // Environment.TickCount64 at the last command other than IdleCheck

    // Plain switches rather than ReceivePersistentActor's handler registrations: those built two match builders per
    // actor at every start (a profile of 20,000 new conversations put 6 % of the CPU in this constructor), and each
    // new conversation starts an actor.
    public ConversationActor(ConversationKey key, IBot bot, ConversationSettings settings)
    {
        _key = key;
        _bot = bot;
        _settings = settings;
        PersistenceId = key.PersistenceId;
        (JournalPluginId, SnapshotPluginId) = ConversationShards.PluginIds(PersistenceId);
    }

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                _state = (ConversationState)offer.Snapshot;
                break;
            case EventApplied e:
                _state = _state.Apply(e);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        if (message is not IdleCheck) _lastCommand = Environment.TickCount64;
        switch (message)
        {
            case HandleEvent command:
                Handle(command);
                break;
            case GetConversation:
                Sender.Tell(new ConversationView(_key, _state.Bot.Step, _state.Bot.Variables));
                break;
            case SaveSnapshotSuccess saved:
                OnSnapshotSaved(saved);
                break;
            case SaveSnapshotFailure failure:
                Log.Warning(failure.Cause, "Snapshot of {0} at {1} failed", PersistenceId, failure.Metadata.SequenceNr);
                SnapshotDone();
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess:
                break;
            case DeleteMessagesFailure f:
                Log.Warning(f.Cause, "Deleting events of {0} failed", PersistenceId);
                break;
            case DeleteSnapshotsFailure f:
                Log.Warning(f.Cause, "Deleting snapshots of {0} failed", PersistenceId);
                break;
            case IdleCheck:
                OnIdleCheck(); // idle conversations cost no memory
                break;
            case StopConversation:
                if (_snapshotInFlight) _stopRequested = true; // let the snapshot land: it saves a replay next start
                else Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    public override string PersistenceId { get; }

    // A producer rather than Props.Create(() => new ...): that form rebuilt an expression tree, read its arguments by
    // reflection and called the constructor through reflection for every new conversation.
    public static Props Props(ConversationKey key, IBot bot, ConversationSettings settings) =>
        Akka.Actor.Props.CreateBy(new Producer(key, bot, settings));

    // Akka's receive timeout cancelled and scheduled a timer again on every message, journal replies included (a new
    // cancellation source each time, the cancelled entry kept in the timer wheel until its bucket came round): 4.7 %
    // of the samples of 20,000 conversations, and garbage that outlived gen0. One timer per conversation at a time
    // instead, fired at most once per idle timeout: it stops the conversation or is set again for the time left.
    protected override void PreStart()
    {
        base.PreStart();
        _lastCommand = Environment.TickCount64;
        ScheduleIdleCheck(_settings.IdleTimeout);
    }

    public ITimerScheduler Timers { get; set; } = null!; // set by Akka before PreStart

    private void ScheduleIdleCheck(TimeSpan delay) => Timers.StartSingleTimer(nameof(IdleCheck), IdleCheck.Instance, delay);

    private void OnIdleCheck()
    {
        var idle = TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastCommand);
        if (idle >= _settings.IdleTimeout) Context.Parent.Tell(Passivate.Instance); // nothing sent meanwhile is lost
        else ScheduleIdleCheck(_settings.IdleTimeout - idle);
    }

    private void Handle(HandleEvent cmd)
    {
        var replyTo = Sender;
        ConversationDecision decision;
        try
        {
            decision = _state.Decide(_bot, cmd.EventId, cmd.QueueId, cmd.Input);
        }
#pragma warning disable CA1031 // any bot failure becomes the caller's failed attempt (retried, then dead-lettered)
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Error(e, "Bot failed on event {0} of {1}", cmd.EventId, PersistenceId);
            replyTo.Tell(new Status.Failure(e));
            return;
        }

        switch (decision)
        {
            case ConversationDecision.Remembered remembered:
                replyTo.Tell(new EventHandled(cmd.QueueId, cmd.EventId, remembered.Messages, remembered.Timers));
                break;
            case ConversationDecision.Advance step:
                _awaitingWrite = replyTo;
                Persist(step.Event, applied =>
                {
                    _awaitingWrite = null;
                    _state = _state.Apply(applied);
                    replyTo.Tell(new EventHandled(cmd.QueueId, cmd.EventId, applied.Messages, applied.Timers ?? []));
                    if (LastSequenceNr % _settings.SnapshotEvery == 0 && !_snapshotInFlight)
                    {
                        _snapshotInFlight = true;
                        SaveSnapshot(_state);
                    }
                });
                break;
        }
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess saved)
    {
        // The snapshot holds everything: older events and snapshots only cost disk.
        var upTo = saved.Metadata.SequenceNr;
        DeleteMessages(upTo);
        DeleteSnapshots(new SnapshotSelectionCriteria(upTo - 1));
        SnapshotDone();
    }

    private void SnapshotDone()
    {
        _snapshotInFlight = false;
        if (_stopRequested) Context.Stop(Self);
    }

    // The router holds what it forwarded during recovery: told here, it answers those (and later ones) at once.
    protected override void OnReplaySuccess()
    {
        base.OnReplaySuccess();
        Context.Parent.Tell(Recovered.Instance);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new ReplayFailed($"{reason.GetType().Name}: {reason.Message}", !IsTransient(reason)));
        base.OnRecoveryFailure(reason, message); // logs; Akka then stops this actor
    }

    // A store that is busy, slow or stopping fails a replay that may succeed later; anything else (a row no reader
    // understands) fails it every time.
    internal static bool IsTransient(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Microsoft.Data.Sqlite.SqliteException or TimeoutException or OperationCanceledException
                or RecoveryTimedOutException)
            {
                return true;
            }
        }

        return false;
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _awaitingWrite?.Tell(new Status.Failure(cause));
        _awaitingWrite = null;
        base.OnPersistFailure(cause, @event, sequenceNr); // logs and stops; the router starts a fresh one next time
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _awaitingWrite?.Tell(new Status.Failure(cause));
        _awaitingWrite = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private sealed class Producer(ConversationKey key, IBot bot, ConversationSettings settings) : IIndirectActorProducer
    {
        public Type ActorType => typeof(ConversationActor);

        public ActorBase Produce() => new ConversationActor(key, bot, settings);

        public void Release(ActorBase actor)
        {
        }
    }
}
