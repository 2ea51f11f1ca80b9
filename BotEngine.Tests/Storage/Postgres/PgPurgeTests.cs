using BotEngine.Queue;
using BotEngine.Storage.Postgres.Queue;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>The purge on PostgreSQL: <see cref="PurgeWorker"/> with <see cref="PgPurge"/>'s statements.</summary>
public sealed class PgPurgeTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BotEngineOptions _options = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private string _database = "";

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task Done_events_past_the_retention_go_open_young_and_dead_ones_stay_and_so_do_batches_still_pointed_at()
    {
        await using var node = await PgQueueRig.StartAsync(_database, clock: _clock);
        var batches = new PgBatches(node.Database, _clock);
        using var purge = new PurgeWorker(new PgPurge(node.Database), Options.Create(_options), _clock, NullLogger<PurgeWorker>.Instance);
        var (done, open, dead, young) = (LineFixtures.NewUserId(), LineFixtures.NewUserId(), LineFixtures.NewUserId(), LineFixtures.NewUserId());
        await node.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(done, "done")));
        await node.PostAndSplitAsync(LineFixtures.Body(
            LineFixtures.TextEvent(open, "claimed"), LineFixtures.TextEvent(open, "pending"), LineFixtures.TextEvent(dead, "dead")));
        var claimed = await node.ClaimAsync();
        var (ofDone, ofOpen, ofDead) = (Of(claimed, done), Of(claimed, open), Of(claimed, dead));
        await batches.CreateAsync("line", "[]", [(ofDone.Id, ofDone.Recipient)], None);
        var inFlight = await batches.CreateAsync("line", "[]", [(ofOpen.Id, ofOpen.Recipient)], None);
        Assert.True(await node.Events.CompleteAsync(ofDone, "multicast", 1, [], None));
        Assert.Equal(1, await node.Events.DeadLetterAsync(ofDead.Id, "gave up", None));

        _clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        await node.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(young, "young")));
        Assert.True(await node.Events.CompleteAsync(Of(await node.ClaimAsync(), young), "sent", 1, [], None));
        var first = await purge.PurgeOnceAsync(None);

        Assert.Equal((1L, 0L, 1L, (bool?)null), (first.DoneEvents, first.DeadEvents, first.Bodies, first.WalTruncated));
        await using var connection = new NpgsqlConnection(_database);
        Assert.Equal(["claimed", "dead", "pending", "young"], await TextsAsync(connection));
        Assert.Equal([inFlight.Id], await connection.QueryAsync<long>("SELECT id FROM batches"));
        // Lanes with nothing open, idle past the retention, go too: the next event (or a dead-letter retry) makes them again.
        Assert.Equal(new[] { open, young }.Order(StringComparer.Ordinal),
            (await connection.QueryAsync<string>("SELECT lane FROM lanes")).Select(UserOf).Order(StringComparer.Ordinal));
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM bodies"));

        _clock.Advance(_options.DeadLetterRetention);
        var late = await purge.PurgeOnceAsync(None);
        // The young event and its body are old now; the body with open events stays.
        Assert.Equal((1L, 1L, 1L), (late.DoneEvents, late.DeadEvents, late.Bodies));
        Assert.Equal(["claimed", "pending"], await TextsAsync(connection));
        Assert.Equal([inFlight.Id], await connection.QueryAsync<long>("SELECT id FROM batches"));
    }

    [PostgresFact]
    public async Task More_done_events_than_one_chunk_all_go_in_one_pass()
    {
        await using var node = await PgQueueRig.StartAsync(_database, clock: _clock);
        using var purge = new PurgeWorker(new PgPurge(node.Database), Options.Create(_options), _clock, NullLogger<PurgeWorker>.Instance);
        await using var connection = new NpgsqlConnection(_database);
        var lane = $"line:{LineFixtures.NewUserId()}";
        await connection.ExecuteAsync("""
            INSERT INTO events (channel, event_id, lane, recipient, body_id, kind, occurred_at, received_at, payload, state,
                                due_at, retry_key, done_at)
            SELECT 'chunks', 'e-' || i, @Lane, 'r', 0, 'text', 0, 0, '{}', 2, 0, 'k-' || i, @Now FROM generate_series(1, 2500) i
            """, new { Lane = lane, Now = _clock.GetUtcNow().ToUnixTimeMilliseconds() });

        _clock.Advance(_options.Retention + TimeSpan.FromMinutes(1));
        var result = await purge.PurgeOnceAsync(None);

        Assert.Equal(2500L, result.DoneEvents);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE channel = 'chunks'"));
    }

    private static QueuedEvent Of(IEnumerable<QueuedEvent> claimed, string user) =>
        claimed.Single(e => e.Lane.EndsWith(user, StringComparison.Ordinal));

    private static string UserOf(string lane) => lane[(lane.LastIndexOf(':') + 1)..];

    private static async Task<string[]> TextsAsync(NpgsqlConnection connection) =>
        [.. (await connection.QueryAsync<string>("SELECT text FROM events WHERE channel = 'line'")).Order(StringComparer.Ordinal)];
}
