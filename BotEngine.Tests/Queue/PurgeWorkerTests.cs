using BotEngine.Queue;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BotEngine.Tests.Queue;

public sealed class PurgeWorkerTests : IDisposable
{
    private readonly TempQueue _q = new();
    private readonly BotEngineOptions _options = new();
    private readonly PurgeWorker _purge;

    public PurgeWorkerTests() =>
        _purge = new PurgeWorker(new SqlitePurge(_q.Database, _q.Writer), Options.Create(_options), _q.Clock, NullLogger<PurgeWorker>.Instance);

    public void Dispose()
    {
        _purge.Dispose();
        _q.Dispose();
    }

    [Fact]
    public async Task Done_events_and_their_bodies_go_after_the_retention_and_open_or_dead_ones_stay()
    {
        await _q.SplitAsync(("a", "done-1"));
        await _q.SplitAsync(("b", "done-2"), ("c", "dead-1"));
        await _q.SplitAsync(("d", "done-3"));
        await FinishAsync("done-1", "done-2", "done-3");
        await DeadLetterAsync("dead-1");
        await _q.SplitAsync(("e", "open-2")); // its lane stays open: claimed, never finished
        Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));

        _q.Clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        var young = await _q.SplitAsync(("f", "young-1"));
        await FinishAsync("young-1");
        var result = await _purge.PurgeOnceAsync(default);

        Assert.Equal((3L, 0L, 2L), (result.DoneEvents, result.DeadEvents, result.Bodies));
        Assert.Equal(["dead-1", "open-2", "young-1"], _q.File.EventRows().Select(e => e.EventId));
        // Kept: the body with a dead event, the body with an open event, the young body.
        Assert.Equal(3, _q.File.Bodies);
        Assert.Equal(1, _q.File.Scalar($"SELECT COUNT(*) FROM bodies WHERE id = {young}"));
    }

    [Fact]
    public async Task Done_events_younger_than_the_retention_keep_deduplicating()
    {
        await _q.SplitAsync(("a", "e-1"));
        await FinishAsync("e-1");

        _q.Clock.Advance(TimeSpan.FromHours(24));
        var result = await _purge.PurgeOnceAsync(default);
        await _q.SplitAsync(("a", "e-1")); // LINE redelivers it a day later

        Assert.Equal((0L, 0L), (result.DoneEvents, result.Bodies));
        Assert.Equal(1, _q.File.Events);
        Assert.Equal(0, _q.File.OpenEvents);
    }

    [Fact]
    public async Task Dead_events_stay_until_the_dead_letter_retention_then_go_with_their_body()
    {
        await _q.SplitAsync(("a", "dead-1"));
        await DeadLetterAsync("dead-1");

        _q.Clock.Advance(_options.Retention + TimeSpan.FromDays(1));
        var early = await _purge.PurgeOnceAsync(default);
        _q.Clock.Advance(_options.DeadLetterRetention);
        var late = await _purge.PurgeOnceAsync(default);

        Assert.Equal((0L, 0L), (early.DeadEvents, early.Bodies));
        Assert.Equal((1L, 1L), (late.DeadEvents, late.Bodies));
        Assert.Equal(0, _q.File.Events);
        Assert.Equal(0, _q.File.Bodies);
    }

    [Fact]
    public async Task Many_rows_go_in_small_items_and_the_wal_is_truncated()
    {
        const int Rows = 2_500;
        var batchesBefore = await FillDoneEventsAsync(Rows);

        _q.Clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        var result = await _purge.PurgeOnceAsync(default);

        Assert.Equal(Rows, result.DoneEvents);
        // 1,000 rows per item: three items for the events (the third a short one), one for the body.
        Assert.True(_q.Writer.Batches - batchesBefore >= 4, $"{_q.Writer.Batches - batchesBefore} commits");
        Assert.True(result.WalTruncated);
        Assert.Equal(0, new FileInfo(_q.Database.Path + "-wal").Length);
        Assert.Equal(0, _q.File.Events);
    }

    private async Task<long> FillDoneEventsAsync(int rows)
    {
        await _q.SplitAsync(Enumerable.Range(0, rows).Select(i => ($"lane-{i}", $"e-{i}")).ToArray());
        var now = _q.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await _q.Writer.ExecuteAsync(c => c.Connection.Execute(
            "UPDATE events SET state = 2, done_at = @Now", new { Now = now }, c.Transaction));
        return _q.Writer.Batches;
    }

    [Fact]
    public async Task Multicast_batch_goes_once_no_event_points_at_it_after_the_retention()
    {
        await _q.SplitAsync(("a", "done-1"), ("b", "dead-1"));
        var batches = new BatchStore(_q.Database, _q.Writer, _q.Clock);
        var claimed = await _q.Events.ClaimAsync(10, TempQueue.Lease, default);
        await batches.CreateAsync("line", "[]", [.. claimed.Select(e => (e.Id, e.Recipient))], default);
        await _q.Events.CompleteAsync(claimed[0], "multicast", 1, [], default);
        await _q.Events.DeadLetterAsync(claimed[1].Id, "gave up", default);

        _q.Clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        await _purge.PurgeOnceAsync(default);
        Assert.Equal(1, _q.File.Scalar("SELECT COUNT(*) FROM batches")); // the dead letter may be retried: kept
        _q.Clock.Advance(_options.DeadLetterRetention);
        await _purge.PurgeOnceAsync(default);

        Assert.Equal(0, _q.File.Scalar("SELECT COUNT(*) FROM batches"));
    }

    private async Task FinishAsync(params string[] eventIds)
    {
        foreach (var claimed in await ClaimAsync(eventIds))
        {
            await _q.Events.CompleteAsync(claimed, "replied", 1, [], default);
        }
    }

    private async Task DeadLetterAsync(string eventId)
    {
        var claimed = Assert.Single(await ClaimAsync(eventId));
        await _q.Events.DeadLetterAsync(claimed.Id, "gave up", default);
    }

    // Claims the named events; every other lane head claimed on the way is given back untouched.
    private async Task<List<QueuedEvent>> ClaimAsync(params string[] eventIds)
    {
        var claimed = await _q.Events.ClaimAsync(100, TempQueue.Lease, default);
        foreach (var other in claimed.Where(e => !eventIds.Contains(e.EventId)))
        {
            await _q.Events.ReleaseAsync(other.Id, default);
        }

        return claimed.Where(e => eventIds.Contains(e.EventId)).ToList();
    }

}
