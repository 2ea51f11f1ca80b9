using BotEngine.Channels;
using BotEngine.Hosting;
using BotEngine.Queue;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BotEngine.Tests.Queue;

public sealed class QueueStoreTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteDatabase _database;
    private readonly SqliteWriter _writer;
    private readonly InboxStore _inbox;
    private readonly EventStore _events;

    public QueueStoreTests()
    {
        _database = new SqliteDatabase(_data.File("queue.db"), Durability.Full);
        _writer = new SqliteWriter(_database, NullLogger<SqliteWriter>.Instance);
        _writer.Start(Schema.Apply);
        _inbox = new InboxStore(_database, _writer, _clock);
        _events = new EventStore(_database, _writer, _clock);
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task Concurrent_appends_share_commits_and_all_are_stored()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => _inbox.AppendAsync(Channel.Line, [(byte)i], default)));

        Assert.Equal(500, ids.Distinct().Count());
        Assert.True(_writer.Batches < 500, $"{_writer.Batches} commits for 500 appends");
        Assert.Equal(500, new QueueFile(_data.Path).Bodies);
    }

    [Fact]
    public async Task A_failing_write_fails_alone_and_its_batch_neighbours_commit()
    {
        var bad = _writer.ExecuteAsync(c => c.Command("INSERT INTO no_such_table VALUES (1)").ExecuteNonQuery());
        var good = _inbox.AppendAsync(Channel.Line, [1, 2, 3], default);

        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.True(await good > 0);
    }

    [Fact]
    public async Task Claims_give_one_event_per_lane_in_receipt_order()
    {
        await SplitAsync(("a", "1"), ("a", "2"), ("b", "3"), ("a", "4"));

        var first = await _events.ClaimAsync(10, Lease, default);
        Assert.Equal(["1", "3"], first.Select(e => e.EventId));
        Assert.Empty(await _events.ClaimAsync(10, Lease, default));

        await _events.CompleteAsync(first[0], "replied", 1, [], default);
        Assert.Equal(["2"], (await _events.ClaimAsync(10, Lease, default)).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_lane_waits_while_its_head_backs_off()
    {
        await SplitAsync(("a", "1"), ("a", "2"));
        var head = Assert.Single(await _events.ClaimAsync(10, Lease, default));

        await _events.RetryAsync(head.Id, _clock.GetUtcNow().AddSeconds(5), "429", default);
        Assert.Empty(await _events.ClaimAsync(10, Lease, default));

        _clock.Advance(TimeSpan.FromSeconds(5));
        var again = Assert.Single(await _events.ClaimAsync(10, Lease, default));
        Assert.Equal(("1", 2L), (again.EventId, again.Attempts));
    }

    [Fact]
    public async Task Expired_lease_makes_the_event_claimable_again()
    {
        await SplitAsync(("a", "1"));
        Assert.Single(await _events.ClaimAsync(10, Lease, default));

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.Equal("1", Assert.Single(await _events.ClaimAsync(10, Lease, default)).EventId);
    }

    [Fact]
    public async Task Same_event_id_is_stored_once()
    {
        await SplitAsync(("a", "1"));
        await SplitAsync(("a", "1"), ("a", "2"));

        Assert.Equal(2, new QueueFile(_data.Path).Events);
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_and_space_coming_back_heals_it()
    {
        var full = _writer.ExecuteAsync(c =>
        {
            // Cap the file at its current size: the next page it needs does not exist.
            c.Command("PRAGMA max_page_count = 1").ExecuteScalar();
            return 0;
        });
        await full;

        await Assert.ThrowsAsync<SqliteException>(() => _inbox.AppendAsync(Channel.Line, new byte[64 * 1024], default));
        Assert.False(_writer.Healthy);

        await _writer.ExecuteAsync(c => c.Command("PRAGMA max_page_count = 1073741823").ExecuteScalar());
        Assert.True(await _inbox.AppendAsync(Channel.Line, new byte[64 * 1024], default) > 0);
        Assert.True(_writer.Healthy);
    }

    private async Task SplitAsync(params (string Lane, string EventId)[] events)
    {
        var id = await _inbox.AppendAsync(Channel.Line, [0], default);
        var body = new StoredBody(id, "line", _clock.GetUtcNow().ToUnixTimeMilliseconds(), [0]);
        var parsed = new ParsedBody(events.Select(e => new InboundEvent(e.EventId, e.Lane, e.Lane,
            new ConversationInput("text", "hi"), null, false, _clock.GetUtcNow(), "{}")).ToList(), []);
        await _inbox.StoreSplitAsync([(body, parsed)], default);
    }
}
