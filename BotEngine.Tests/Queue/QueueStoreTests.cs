using BotEngine.Channels.Line;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Queue;

public sealed class QueueStoreTests : IDisposable
{
    private readonly TempQueue _q = new();

    public void Dispose() => _q.Dispose();

    [Fact]
    public async Task Concurrent_appends_share_commits_and_all_are_stored()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => _q.Inbox.AppendAsync(LineChannel.Id, [(byte)i], default)));

        Assert.Equal(500, ids.Distinct().Count());
        Assert.True(_q.Writer.Batches < 500, $"{_q.Writer.Batches} commits for 500 appends");
        Assert.Equal(500, new QueueFile(_q.Data.Path).Bodies);
    }

    [Fact]
    public async Task A_failing_write_fails_alone_and_its_batch_neighbours_commit()
    {
        var bad = _q.Writer.ExecuteAsync(c => c.Command("INSERT INTO no_such_table VALUES (1)").ExecuteNonQuery());
        var good = _q.Inbox.AppendAsync(LineChannel.Id, [1, 2, 3], default);

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.True(await good > 0);
    }

    [Fact]
    public async Task Urgent_writes_overtake_queued_work()
    {
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var gate = new ManualResetEventSlim();
        var blocker = _q.Writer.ExecuteAsync(_ => gate.Wait(TimeSpan.FromSeconds(10)));
        // Each 4 MB (by its size hint) fills a batch on its own: FIFO would commit all five before the urgent write.
        var queued = Enumerable.Range(0, 5).Select(i => _q.Writer.ExecuteAsync(_ => { order.Enqueue($"n{i}"); return 0; },
            sizeHint: 4 * 1024 * 1024)).ToList();
        var urgent = _q.Writer.ExecuteAsync(WriteKind.Urgent, _ => { order.Enqueue("urgent"); return 0; }, 0, default);

        gate.Set();
        await Task.WhenAll([blocker, urgent, .. queued]);

        Assert.True(order.ToList().IndexOf("urgent") <= 2, string.Join(", ", order));
    }

    [Fact]
    public async Task A_failing_single_statement_fails_alone_without_a_savepoint()
    {
        var bad = _q.Writer.ExecuteAsync(WriteKind.SingleStatement,
            c => c.Command("INSERT INTO no_such_table VALUES (1)").ExecuteNonQuery(), 0, default);
        var good = _q.Inbox.AppendAsync(LineChannel.Id, [1, 2, 3], default);

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.True(await good > 0);
    }

    [Fact]
    public async Task Claims_give_one_event_per_lane_in_receipt_order()
    {
        await _q.SplitAsync(("a", "1"), ("a", "2"), ("b", "3"), ("a", "4"));

        var first = await _q.Events.ClaimAsync(10, TempQueue.Lease, default);
        Assert.Equal(["1", "3"], first.Select(e => e.EventId));
        Assert.Empty(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));

        await _q.Events.CompleteAsync(first[0], "replied", 1, [], default);
        Assert.Equal(["2"], (await _q.Events.ClaimAsync(10, TempQueue.Lease, default)).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_lane_waits_while_its_head_backs_off()
    {
        await _q.SplitAsync(("a", "1"), ("a", "2"));
        var head = Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));

        await _q.Events.RetryAsync(head.Id, _q.Clock.GetUtcNow().AddSeconds(5), "429", default);
        Assert.Empty(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));

        _q.Clock.Advance(TimeSpan.FromSeconds(5));
        var again = Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));
        Assert.Equal(("1", 2L), (again.EventId, again.Attempts));
    }

    [Fact]
    public async Task Expired_lease_makes_the_event_claimable_again()
    {
        await _q.SplitAsync(("a", "1"));
        Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));

        _q.Clock.Advance(TempQueue.Lease + TimeSpan.FromSeconds(1));

        Assert.Equal("1", Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default)).EventId);
    }

    [Fact]
    public async Task Same_event_id_is_stored_once()
    {
        await _q.SplitAsync(("a", "1"));
        await _q.SplitAsync(("a", "1"), ("a", "2"));

        Assert.Equal(2, new QueueFile(_q.Data.Path).Events);
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_and_space_coming_back_heals_it()
    {
        var full = _q.Writer.ExecuteAsync(c =>
        {
            // Cap the file at its current size: the next page it needs does not exist.
            c.Command("PRAGMA max_page_count = 1").ExecuteScalar();
            return 0;
        });
        await full;

        await Assert.ThrowsAsync<SqliteException>(() => _q.Inbox.AppendAsync(LineChannel.Id, new byte[64 * 1024], default));
        Assert.False(_q.Writer.Healthy);

        await _q.Writer.ExecuteAsync(c => c.Command("PRAGMA max_page_count = 1073741823").ExecuteScalar());
        Assert.True(await _q.Inbox.AppendAsync(LineChannel.Id, new byte[64 * 1024], default) > 0);
        Assert.True(_q.Writer.Healthy);
    }

}
