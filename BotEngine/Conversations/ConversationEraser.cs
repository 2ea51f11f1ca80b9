using Akka.Actor;
using Akka.Persistence;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// Resets one conversation through Akka: a persistent actor of the same persistence id that replays nothing (so an
/// unreadable row is never read), then deletes every event and snapshot. Akka.Persistence.Sql keeps the highest event
/// row, marked deleted, so the sequence number goes on; replay skips deleted rows. The router runs it only while no
/// <see cref="ConversationActor"/> of that conversation lives, and tells its parent <see cref="ConversationErased"/>.
/// </summary>
internal sealed class ConversationEraser : ReceivePersistentActor
{
    private bool _eventsDeleted;
    private bool _snapshotsDeleted;

    public ConversationEraser(ConversationKey key)
    {
        PersistenceId = key.PersistenceId;
        (JournalPluginId, SnapshotPluginId) = ConversationShards.PluginIds(PersistenceId);

        Recover<RecoveryCompleted>(_ =>
        {
            DeleteMessages(long.MaxValue); // up to LastSequenceNr, the highest stored: recovery read it, no event
            DeleteSnapshots(SnapshotSelectionCriteria.Latest);
        });
        Command<DeleteMessagesSuccess>(_ => Done(events: true));
        Command<DeleteSnapshotsSuccess>(_ => Done(snapshots: true));
        Command<DeleteMessagesFailure>(f => Fail($"deleting events failed: {f.Cause.Message}"));
        Command<DeleteSnapshotsFailure>(f => Fail($"deleting snapshots failed: {f.Cause.Message}"));
    }

    public override string PersistenceId { get; }

    public override Recovery Recovery => Recovery.None;

    public static Props Props(ConversationKey key) => Akka.Actor.Props.Create(() => new ConversationEraser(key));

    private void Done(bool events = false, bool snapshots = false)
    {
        _eventsDeleted |= events;
        _snapshotsDeleted |= snapshots;
        if (!_eventsDeleted || !_snapshotsDeleted) return;
        Context.Parent.Tell(new ConversationErased(null));
        Context.Stop(Self);
    }

    private void Fail(string error)
    {
        Context.Parent.Tell(new ConversationErased(error));
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Context.Parent.Tell(new ConversationErased($"{reason.GetType().Name}: {reason.Message}"));
        base.OnRecoveryFailure(reason, message);
    }
}
