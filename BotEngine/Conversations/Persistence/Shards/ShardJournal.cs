using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;
using BotEngine.Storage;

namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// Akka.Persistence.Sql's journal for one shard file, with two changes. It answers the replay of a conversation that
/// provably has no row yet (<see cref="KnownConversations"/>) at once, so a new conversation's recovery costs no query,
/// task or actor here. And it writes events through the engine's own group-commit
/// writer (<see cref="SqliteWriter"/>, the queue's) into the plugin's own table and row format
/// (<see cref="JournalRows"/>): the plugin's write path (linq2db, one batch at a time per file) held the conversation
/// stage to about 3,400 events/s for live conversations, against about 40,000/s with writes skipped
/// (BENCHMARKS.md, "Conversation state"). Replays, deletes and queries stay the plugin's.
/// </summary>
internal sealed class ShardJournal : SqlWriteJournal
{
    private readonly KnownConversations _known;
    private readonly JournalRows _rows;
    private readonly SqliteWriter _writer;
    // A replay must not read a conversation's highest sequence number while its write is in flight (a stopped actor's
    // successor could start from a stale number): the plugin waits for its own writes this way, so do we.
    private readonly ConcurrentDictionary<string, Task> _inFlight = new();

    public ShardJournal(Akka.Configuration.Config journalConfig) : base(journalConfig)
    {
        _known = ShardsSetup.For(Context.System, journalConfig);
        _rows = new JournalRows(Context.System.Serialization);
        _writer = ShardsSetup.Writer(Context.System, journalConfig);
        _writer.Start(_ => { }); // ShardFiles created the tables before the ActorSystem started
    }

    protected override void PostStop()
    {
        _writer.Dispose(); // commits what is queued, then closes the file
        base.PostStop();
    }

    // A conversation that provably has no row is answered here, before the plugin's replay path, which would start a
    // replay-filter actor under this journal, call through the circuit breaker and run a task, all for the same
    // answer: nothing to replay, highest sequence number 0. Every new conversation's recovery comes here.
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is ReplayMessages replay && !_known.MayExist(replay.PersistenceId))
        {
            replay.PersistentActor.Tell(new RecoverySuccess(0L), ActorRefs.NoSender);
            return true;
        }

        return base.AroundReceive(receive, message);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(
        string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_inFlight.TryGetValue(persistenceId, out var write))
        {
            await write.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // its outcome is the writer's to report
        }

        return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(
        IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        // Known before the write is issued: a recovery that follows must query, whether or not this write lands.
        var writes = messages as IReadOnlyCollection<AtomicWrite> ?? messages.ToList();
        foreach (var write in writes) _known.Add(write.PersistenceId);
        if (writes.Any(JournalRows.HasTags))
        {
            return base.WriteMessagesAsync(writes, cancellationToken); // tags go to the plugin's tag table: its path
        }

        var task = WriteAsync(writes, cancellationToken);
        var ids = writes.Select(w => w.PersistenceId).ToArray();
        foreach (var id in ids) _inFlight[id] = task;
        _ = task.ContinueWith(t =>
        {
            foreach (var id in ids) _inFlight.TryRemove(new KeyValuePair<string, Task>(id, t));
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        return task;
    }

    // One writer item per atomic write, each in its own savepoint of the next group commit. An atomic write the file
    // refuses (a sequence number written twice) or that cannot be serialized is rejected alone; a commit that fails
    // (disk full) fails the whole call, as the plugin's own path does.
    private async Task<IImmutableList<Exception>> WriteAsync(IReadOnlyCollection<AtomicWrite> writes, CancellationToken ct)
    {
        var results = new Exception?[writes.Count];
        var pending = new List<(int Index, Task Task)>(writes.Count);
        var index = 0;
        foreach (var write in writes)
        {
            var rows = _rows.TrySerialize(write, out var error);
            if (rows is null) results[index] = error;
            else pending.Add((index, _writer.ExecuteAsync(context => JournalRows.Insert(context, rows), rows.Bytes, ct)));
            index++;
        }

        foreach (var (i, task) in pending)
        {
            try
            {
                await task;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
            {
                results[i] = e;
            }
        }

        return results.ToImmutableList()!; // null: that write is stored (Akka's journal contract)
    }
}
