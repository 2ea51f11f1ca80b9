using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// Akka.Persistence.Sql's snapshot store for one shard file, answering "no snapshot" without a query for a
/// conversation that provably has no row yet (<see cref="KnownConversations"/>).
/// </summary>
internal sealed class ShardSnapshotStore : SqlSnapshotStore
{
    private readonly KnownConversations _known;

    public ShardSnapshotStore(Akka.Configuration.Config snapshotConfig) : base(snapshotConfig)
    {
        _known = ShardsSetup.For(Context.System, snapshotConfig);
    }

    // A conversation that provably has no row is answered here, as the plugin answers a load with no criteria:
    // without the circuit breaker, the task and its continuation. Every new conversation's recovery comes here.
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is LoadSnapshot load && !_known.MayExist(load.PersistenceId))
        {
            Sender.Tell(new LoadSnapshotResult(null, load.ToSequenceNr));
            return true;
        }

        return base.AroundReceive(receive, message);
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        _known.Add(metadata.PersistenceId);
        return base.SaveAsync(metadata, snapshot, cancellationToken);
    }
}
