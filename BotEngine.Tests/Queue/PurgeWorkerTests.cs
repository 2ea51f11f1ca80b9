using BotEngine.Channels;
using BotEngine.Hosting;
using BotEngine.Queue;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Queue;

public sealed class PurgeWorkerTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly BotEngineOptions _options = new();
    private readonly SqliteDatabase _database;
    private readonly SqliteWriter _writer;
    private readonly InboxStore _inbox;
    private readonly EventStore _events;
    private readonly PurgeWorker _purge;
    private readonly QueueFile _file;

    public PurgeWorkerTests()
    {
        _database = new SqliteDatabase(_data.File("queue.db"), Durability.Full);
        _writer = new SqliteWriter(_database, NullLogger<SqliteWriter>.Instance);
        _writer.Start(Schema.Apply);
        _inbox = new InboxStore(_database, _writer, _clock);
        _events = new EventStore(_database, _writer, _clock);
        _purge = new PurgeWorker(_database, _writer, Options.Create(_options), _clock, NullLogger<PurgeWorker>.Instance);
        _file = new QueueFile(_data.Path);
    }

    public void Dispose()
    {
        _purge.Dispose();
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task Done_events_and_their_bodies_go_after_the_retention_and_open_or_dead_ones_stay()
    {
        await SplitAsync(("a", "done-1"));
        await SplitAsync(("b", "done-2"), ("c", "dead-1"));
        await SplitAsync(("d", "done-3"));
        await FinishAsync("done-1", "done-2", "done-3");
        await DeadLetterAsync("dead-1");
        await SplitAsync(("e", "open-2")); // its lane stays open: claimed, never finished
        Assert.Single(await _events.ClaimAsync(10, Lease, default));

        _clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        var young = await SplitAsync(("f", "young-1"));
        await FinishAsync("young-1");
        var result = await _purge.PurgeOnceAsync(default);

        Assert.Equal((3L, 0L, 2L), (result.DoneEvents, result.DeadEvents, result.Bodies));
        Assert.Equal(["dead-1", "open-2", "young-1"], _file.EventRows().Select(e => e.EventId));
        // Kept: the body with a dead event, the body with an open event, the young body.
        Assert.Equal(3, _file.Bodies);
        Assert.Equal(1, _file.Scalar($"SELECT COUNT(*) FROM bodies WHERE id = {young}"));
    }

    [Fact]
    public async Task Done_events_younger_than_the_retention_keep_deduplicating()
    {
        await SplitAsync(("a", "e-1"));
        await FinishAsync("e-1");

        _clock.Advance(TimeSpan.FromHours(24));
        var result = await _purge.PurgeOnceAsync(default);
        await SplitAsync(("a", "e-1")); // LINE redelivers it a day later

        Assert.Equal((0L, 0L), (result.DoneEvents, result.Bodies));
        Assert.Equal(1, _file.Events);
        Assert.Equal(0, _file.OpenEvents);
    }

    [Fact]
    public async Task Dead_events_stay_until_the_dead_letter_retention_then_go_with_their_body()
    {
        await SplitAsync(("a", "dead-1"));
        await DeadLetterAsync("dead-1");

        _clock.Advance(_options.Retention + TimeSpan.FromDays(1));
        var early = await _purge.PurgeOnceAsync(default);
        _clock.Advance(_options.DeadLetterRetention);
        var late = await _purge.PurgeOnceAsync(default);

        Assert.Equal((0L, 0L), (early.DeadEvents, early.Bodies));
        Assert.Equal((1L, 1L), (late.DeadEvents, late.Bodies));
        Assert.Equal(0, _file.Events);
        Assert.Equal(0, _file.Bodies);
    }

    [Fact]
    public async Task Many_rows_go_in_small_items_and_the_wal_is_truncated()
    {
        const int Rows = 2_500;
        var batchesBefore = await FillDoneEventsAsync(Rows);

        _clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        var result = await _purge.PurgeOnceAsync(default);

        Assert.Equal(Rows, result.DoneEvents);
        // 1,000 rows per item: three items for the events (the third a short one), one for the body.
        Assert.True(_writer.Batches - batchesBefore >= 4, $"{_writer.Batches - batchesBefore} commits");
        Assert.True(result.WalTruncated);
        Assert.Equal(0, new FileInfo(_database.Path + "-wal").Length);
        Assert.Equal(0, _file.Events);
    }

    private async Task<long> FillDoneEventsAsync(int rows)
    {
        await SplitAsync(Enumerable.Range(0, rows).Select(i => ($"lane-{i}", $"e-{i}")).ToArray());
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        await _writer.ExecuteAsync(c => c.Connection.Execute(
            "UPDATE events SET state = 2, done_at = @Now", new { Now = now }, c.Transaction));
        return _writer.Batches;
    }

    private async Task FinishAsync(params string[] eventIds)
    {
        foreach (var claimed in await ClaimAsync(eventIds))
        {
            await _events.CompleteAsync(claimed, "replied", 1, [], default);
        }
    }

    private async Task DeadLetterAsync(string eventId)
    {
        var claimed = Assert.Single(await ClaimAsync(eventId));
        await _events.DeadLetterAsync(claimed.Id, "gave up", default);
    }

    // Claims the named events; every other lane head claimed on the way is given back untouched.
    private async Task<List<QueuedEvent>> ClaimAsync(params string[] eventIds)
    {
        var claimed = await _events.ClaimAsync(100, Lease, default);
        foreach (var other in claimed.Where(e => !eventIds.Contains(e.EventId)))
        {
            await _events.ReleaseAsync(other.Id, default);
        }

        return claimed.Where(e => eventIds.Contains(e.EventId)).ToList();
    }

    private async Task<long> SplitAsync(params (string Lane, string EventId)[] events)
    {
        var id = await _inbox.AppendAsync(Channel.Line, [0], default);
        var body = new StoredBody(id, "line", _clock.GetUtcNow().ToUnixTimeMilliseconds(), [0]);
        var parsed = new ParsedBody(events.Select(e => new InboundEvent(e.EventId, e.Lane, e.Lane,
            new ConversationInput("text", "hi"), null, false, _clock.GetUtcNow(), "{}")).ToList(), []);
        await _inbox.StoreSplitAsync([(body, parsed)], default);
        return id;
    }
}
