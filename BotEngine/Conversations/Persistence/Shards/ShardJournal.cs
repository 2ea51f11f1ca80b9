using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// Akka.Persistence.Sql's journal for one shard file, skipping the highest-sequence-number query of a conversation
/// that provably has no row yet (<see cref="KnownConversations"/>): with 0 the replay asks nothing more, so a new
/// conversation's recovery costs no query on this serial actor.
/// </summary>
internal sealed class ShardJournal : SqlWriteJournal
{
    private readonly KnownConversations _known;

    public ShardJournal(Akka.Configuration.Config journalConfig) : base(journalConfig)
    {
        _known = ShardsSetup.For(Context.System, journalConfig);
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        _known.MayExist(persistenceId)
            ? base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken)
            : Task.FromResult(0L);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(
        IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        // Known before the write is issued: a recovery that follows must query, whether or not this write lands.
        var writes = messages as IReadOnlyCollection<AtomicWrite> ?? messages.ToList();
        foreach (var write in writes) _known.Add(write.PersistenceId);
        return base.WriteMessagesAsync(writes, cancellationToken);
    }
}
