using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;
using static BotEngine.Tests.Conversations.ConversationStateTests;

namespace BotEngine.Tests.Conversations;

/// <summary>
/// Conversations live in the shard file their persistence id hashes to, are recovered from it, and one that has any
/// row left (a snapshot only, or only the deleted row Akka keeps for the sequence number) is never treated as new.
/// </summary>
public sealed class ShardRecoveryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Each_conversation_is_written_to_and_recovered_from_its_own_shard_file()
    {
        var keys = Enumerable.Range(0, 24).Select(i => new ConversationKey(LineChannel.Id, $"U{i:D32}")).ToList();
        using (var host = await ConversationHost.StartAsync(_data.Path))
        {
            foreach (var key in keys) await host.HandleAsync(new HandleEvent(key, 1, $"{key.Id}-1", Text("count")));
            await host.StopAsync();
        }

        var rows = Rows("journal");
        Assert.Equal(keys.Select(k => k.PersistenceId).Order(), rows.Select(r => r.Id).Order());
        Assert.All(rows, r => Assert.Equal(ConversationShards.Of(r.Id), r.Shard));
        Assert.Equal(ConversationShards.Count, rows.Select(r => r.Shard).Distinct().Count());

        using (var host = await ConversationHost.StartAsync(_data.Path))
        {
            foreach (var key in keys)
            {
                var handled = await host.HandleAsync(new HandleEvent(key, 2, $"{key.Id}-2", Text("count")));
                Assert.Contains("#2", handled.Messages.Single().Text, StringComparison.Ordinal);
            }

            await host.StopAsync();
        }
    }

    // New conversations' recoveries are answered by the shard's journal and snapshot store without a query; one whose
    // rows were written by an earlier incarnation in this same process (not found by the start-up scan) must still be
    // replayed, from its snapshot and the events after it.
    [Fact]
    public async Task A_conversation_written_since_the_start_is_recovered_after_an_idle_stop()
    {
        var keys = Enumerable.Range(0, 8).Select(i => new ConversationKey(LineChannel.Id, $"Uidle{i}")).ToList();
        using var host = await ConversationHost.StartAsync(_data.Path, snapshotEvery: 2,
            idleTimeout: TimeSpan.FromMilliseconds(300));
        for (var round = 1; round <= 3; round++)
        {
            foreach (var key in keys)
            {
                for (var i = 1; i <= 3; i++)
                {
                    var n = (round - 1) * 3 + i;
                    var handled = await host.HandleAsync(new HandleEvent(key, n, $"{key.Id}-{n}", Text("count")));
                    Assert.Contains($"#{n}", handled.Messages.Single().Text, StringComparison.Ordinal);
                }
            }

            await Eventually.ValueAsync(() => host.LiveAsync(), live => live == 0, TimeSpan.FromSeconds(20), "every conversation stopped idle");
        }

        await host.StopAsync();
        Assert.All(keys, key => Assert.Equal(9L, Rows("journal").Where(r => r.Id == key.PersistenceId).Max(r => r.Seq)));
    }

    [Fact]
    public async Task A_conversation_with_only_its_snapshot_left_is_recovered_from_it()
    {
        var key = new ConversationKey(LineChannel.Id, "Usnapshot");
        await CountAsync(key, 1, 4, snapshotEvery: 2, awaitSnapshot: true);
        Execute(key, "DELETE FROM journal WHERE persistence_id = $id"); // only the snapshot proves it exists
        var snapshotAt = Rows("snapshot").Where(r => r.Id == key.PersistenceId).Max(r => r.Seq); // 2 or 4

        var handled = await CountAsync(key, 5, 5, snapshotEvery: 2);

        Assert.Contains($"#{snapshotAt + 1}", handled.Messages.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conversation_with_only_its_deleted_last_row_left_goes_on_numbering_after_it()
    {
        var key = new ConversationKey(LineChannel.Id, "Umarker");
        await CountAsync(key, 1, 4, snapshotEvery: 2);
        // What Akka leaves after deleting every event: the last row, marked deleted (it keeps the sequence number).
        Execute(key, """
            DELETE FROM journal WHERE persistence_id = $id AND sequence_number < 4;
            UPDATE journal SET deleted = 1 WHERE persistence_id = $id;
            DELETE FROM snapshot WHERE persistence_id = $id;
            """);

        await CountAsync(key, 5, 5, snapshotEvery: 100); // treated as new, it would write sequence number 1 again

        Assert.Equal([4L, 5L], Rows("journal").Where(r => r.Id == key.PersistenceId).Select(r => r.Seq));
    }

    [Fact]
    public async Task Files_of_another_shard_layout_stop_the_start()
    {
        using (var host = await ConversationHost.StartAsync(_data.Path)) await host.StopAsync();
        Execute(new ConversationKey(LineChannel.Id, "any"), "UPDATE botengine_layout SET shards = 8", shard: 0);

        var changed = await Assert.ThrowsAnyAsync<Exception>(() => ConversationHost.StartAsync(_data.Path));
        File.WriteAllBytes(_data.File($"conversations-{ConversationShards.Count}.db"), []);
        var more = await Assert.ThrowsAnyAsync<Exception>(() => ConversationHost.StartAsync(_data.Path));

        Assert.Contains($"shard 0 of 8", changed.ToString(), StringComparison.Ordinal);
        Assert.Contains($"more than {ConversationShards.Count} conversation shards", more.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    private async Task<EventHandled> CountAsync(
        ConversationKey key, int from, int to, int snapshotEvery, bool awaitSnapshot = false)
    {
        using var host = await ConversationHost.StartAsync(_data.Path, snapshotEvery);
        EventHandled? last = null;
        for (var i = from; i <= to; i++) last = await host.HandleAsync(new HandleEvent(key, i, $"e{i}", Text("count")));
        if (awaitSnapshot)
        {
            // Snapshots are saved after the answer, one at a time (one in flight skips the next); a stop may come
            // first on a busy machine and drop it.
            await Eventually.TrueAsync(() => Rows("snapshot").Any(r => r.Id == key.PersistenceId),
                TimeSpan.FromSeconds(20), $"a snapshot of {key}");
        }

        await host.StopAsync();
        return last!;
    }

    private List<(int Shard, string Id, long Seq)> Rows(string table)
    {
        var rows = new List<(int, string, long)>();
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            using var connection = Open(shard);
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT persistence_id, sequence_number FROM {table} ORDER BY 1, 2";
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add((shard, reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }

    private void Execute(ConversationKey key, string sql, int? shard = null)
    {
        using var connection = Open(shard ?? ConversationShards.Of(key.PersistenceId));
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", key.PersistenceId);
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open(int shard)
    {
        var connection = new SqliteConnection($"Data Source={_data.File(ConversationShards.FileName(shard))};Pooling=False");
        connection.Open();
        return connection;
    }
}
