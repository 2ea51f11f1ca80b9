using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Conversations;

/// <summary>
/// The shard journal writes events through the engine's group-commit writer instead of Akka.Persistence.Sql's own
/// path: its rows must be the plugin's rows (the plugin replays and deletes them), and one atomic write the file
/// refuses must be rejected alone.
/// </summary>
public sealed class JournalRowsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Rows_written_by_the_group_commit_writer_match_the_plugins_own_and_replay()
    {
        // Tagged payloads still take the plugin's path: the same payload both ways gives one row of each writer.
        const string ours = "rows-ours", plugins = "rows-plugin";
        using (var host = await ConversationHost.StartAsync(_data.Path))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal("stored a 1", await PersistAsync(system, ours, "a"));
            Assert.Equal("stored b 2 after a", await PersistAsync(system, ours, "b"));
            Assert.Equal("stored a 1", await PersistAsync(system, plugins, new Tagged("a", ["t"])));
            await host.StopAsync();
        }

        var mine = Row(ours, 1);
        var theirs = Row(plugins, 1);
        Assert.Equal(theirs.Shape, mine.Shape);
        Assert.InRange(mine.Created, theirs.Created - TimeSpan.TicksPerMinute, theirs.Created + TimeSpan.TicksPerMinute);

        using (var host = await ConversationHost.StartAsync(_data.Path))
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            Assert.Equal("stored c 3 after a,b", await PersistAsync(system, ours, "c"));
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_write_the_file_refuses_is_rejected_alone_and_its_neighbours_are_stored()
    {
        using var host = await ConversationHost.StartAsync(_data.Path);
        var system = host.Services.GetRequiredService<ActorSystem>();
        // Written behind the engine's back after start: the journal believes the conversation is new, so its first
        // event takes sequence number 1 again and the unique index refuses it.
        Execute("taken", "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, " +
            "identifier, writer_uuid) VALUES (0, 0, $id, 1, x'00', '', 0, NULL)");

        var results = await Task.WhenAll(
            PersistAsync(system, "taken", "x"),
            PersistAsync(system, "free-1", "y"),
            PersistAsync(system, "free-2", "z"));

        Assert.StartsWith("rejected x", results[0], StringComparison.Ordinal);
        Assert.Equal(["stored y 1", "stored z 1"], results[1..]);
        await host.StopAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private static async Task<string> PersistAsync(ActorSystem system, string id, object payload)
    {
        var actor = system.ActorOf(Props.Create(() => new Recorder(id)));
        try
        {
            return await actor.Ask<string>(payload, Timeout);
        }
        finally
        {
            await actor.GracefulStop(Timeout);
        }
    }

    private (string Shape, long Created) Row(string id, long seq)
    {
        using var connection = Open(id);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT created, typeof(created) || '|' || typeof(deleted) || deleted || '|' || typeof(message) || hex(message)
                || '|' || typeof(manifest) || manifest || '|' || typeof(identifier) || identifier || '|'
                || typeof(writer_uuid) || length(writer_uuid)
            FROM journal WHERE persistence_id = $id AND sequence_number = $seq
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$seq", seq);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row {id}/{seq}");
        return (reader.GetString(1), reader.GetInt64(0));
    }

    private void Execute(string id, string sql)
    {
        using var connection = Open(id);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open(string id)
    {
        var file = _data.File(ConversationShards.FileName(ConversationShards.Of(id)));
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>Persists each message it is sent and answers what became of it, with what it replayed.</summary>
    private sealed class Recorder : ReceivePersistentActor
    {
        private readonly List<string> _replayed = [];
        private IActorRef? _asker;
        private string? _asked;

        public Recorder(string id)
        {
            PersistenceId = id;
            (JournalPluginId, SnapshotPluginId) = ConversationShards.PluginIds(id);
            Recover<string>(_replayed.Add);
            Command<Tagged>(tagged => Store(tagged, (string)tagged.Payload));
            Command<string>(text => Store(text, text));
        }

        public override string PersistenceId { get; }

        private void Store(object payload, string text)
        {
            (_asker, _asked) = (Sender, text);
            var after = _replayed.Count == 0 ? "" : $" after {string.Join(',', _replayed)}";
            Persist(payload, _ => _asker.Tell($"stored {text} {LastSequenceNr}{after}"));
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _asker?.Tell($"rejected {_asked}: {cause.Message}");
            base.OnPersistRejected(cause, @event, sequenceNr);
        }
    }
}
