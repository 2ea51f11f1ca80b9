using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>The queue's promises on PostgreSQL: dedupe, one event in flight per lane, order, fenced outcomes, leases.</summary>
public sealed class PgQueueTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _database = "";

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task A_redelivered_body_adds_nothing_and_only_each_lanes_head_is_claimed()
    {
        await using var node = await PgQueueRig.StartAsync(_database);
        var (a, b) = (LineFixtures.NewUserId(), LineFixtures.NewUserId());
        var body = LineFixtures.Body(LineFixtures.TextEvent(a, "1"), LineFixtures.TextEvent(a, "2"), LineFixtures.TextEvent(b, "1"));

        var first = await node.PostAndSplitAsync(body);
        var again = await node.PostAndSplitAsync(body);

        Assert.Equal((3, 0), (first.Single().Added, first.Single().Duplicates));
        Assert.Equal((0, 3), (again.Single().Added, again.Single().Duplicates));
        var claimed = await node.ClaimAsync();
        Assert.Equal(["1", "1"], claimed.Select(e => e.Text).Order());
        Assert.Empty(await node.ClaimAsync()); // a's second event waits behind its first

        var ofA = claimed.Single(e => e.Lane.EndsWith(a, StringComparison.Ordinal));
        Assert.True(await node.Events.CompleteAsync(ofA, "sent", 1, [], None));
        Assert.Equal("2", (await node.ClaimAsync()).Single().Text);
    }

    [PostgresFact]
    public async Task A_retry_keeps_the_lane_blocked_until_due_and_a_dead_letter_lets_it_move_on()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await PgQueueRig.StartAsync(_database, clock: clock);
        var user = LineFixtures.NewUserId();
        await node.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(user, "1"), LineFixtures.TextEvent(user, "2")));

        var one = (await node.ClaimAsync()).Single();
        await node.Events.RetryAsync(one.Id, clock.GetUtcNow().AddSeconds(5), "429", None);
        Assert.Empty(await node.ClaimAsync());
        clock.Advance(TimeSpan.FromSeconds(5));
        var retried = (await node.ClaimAsync()).Single();
        Assert.Equal((one.Id, 2L), (retried.Id, retried.Attempts));

        await node.Events.DeadLetterAsync(retried.Id, "gave up", None);
        Assert.Equal("2", (await node.ClaimAsync()).Single().Text);
    }

    [PostgresFact]
    public async Task A_dead_nodes_lanes_go_to_another_node_and_its_late_outcome_changes_nothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var timeout = TimeSpan.FromSeconds(10);
        await using var dying = await PgQueueRig.StartAsync(_database, "a", clock, timeout);
        await using var survivor = await PgQueueRig.StartAsync(_database, "b", clock, timeout);
        var user = LineFixtures.NewUserId();
        await dying.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(user, "1"), LineFixtures.TextEvent(user, "2")));
        var stale = (await dying.ClaimAsync()).Single();

        clock.Advance(timeout / 2);
        await survivor.Lease.HeartbeatAsync(None);
        Assert.Equal(0, await survivor.Lease.ReapAsync(None)); // a's heartbeat is recent enough
        clock.Advance(timeout);
        await survivor.Lease.HeartbeatAsync(None);
        Assert.Equal(1, await survivor.Lease.ReapAsync(None));

        var taken = (await survivor.ClaimAsync()).Single();
        Assert.Equal(stale.Id, taken.Id);
        Assert.False(await dying.Events.CompleteAsync(stale, "late", 1, [], None));
        Assert.Empty(await survivor.ClaimAsync()); // the late outcome did not free the lane
        Assert.True(await survivor.Events.CompleteAsync(taken, "sent", 1, [], None));
        Assert.Equal("2", (await survivor.ClaimAsync()).Single().Text);
    }

    [PostgresFact]
    public async Task A_restarted_node_releases_its_previous_runs_claims_at_once_but_not_another_nodes()
    {
        await using var other = await PgQueueRig.StartAsync(_database, "other");
        var (u1, u2) = (LineFixtures.NewUserId(), LineFixtures.NewUserId());
        await other.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(u1, "1")));
        Assert.Single(await other.ClaimAsync());
        await using (var before = await PgQueueRig.StartAsync(_database, "me"))
        {
            await before.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(u2, "1")));
            Assert.Single(await before.ClaimAsync());
        }

        await using var after = await PgQueueRig.StartAsync(_database, "me");
        var again = (await after.ClaimAsync()).Single();
        Assert.EndsWith(u2, again.Lane, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_timer_set_by_an_outcome_fires_into_its_lane()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await PgQueueRig.StartAsync(_database, clock: clock);
        var user = LineFixtures.NewUserId();
        await node.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(user, "1")));
        var one = (await node.ClaimAsync()).Single();
        Assert.True(await node.Events.CompleteAsync(one, "sent", 1, [new TimerCommand("remind", TimeSpan.FromMinutes(1))], None));

        Assert.Equal(0, await node.Timers.MoveDueAsync(10, None));
        Assert.Single(await node.Timers.ListAsync(one.Lane, None));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await node.Timers.MoveDueAsync(10, None));

        var fired = (await node.ClaimAsync()).Single();
        Assert.Equal(("timer", "remind", one.Lane), (fired.Kind, fired.Data, fired.Lane));
        Assert.Empty(await node.Timers.ListAsync(one.Lane, None));
    }

    [PostgresFact]
    public async Task A_webhook_body_is_acknowledged_only_when_committed()
    {
        await using var node = await PgQueueRig.StartAsync(_database);
        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            node.Inbox.AppendAsync(LineChannel.Id, [(byte)i], None)));

        await using var connection = new NpgsqlConnection(_database);
        var stored = (await connection.QueryAsync<(long Id, byte[] Body)>("SELECT id, body FROM bodies WHERE id = ANY(@Ids)", new { Ids = ids }))
            .ToDictionary(r => r.Id, r => r.Body);
        Assert.Equal(200, stored.Count);
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal([(byte)i], stored[ids[i]])); // each caller got its own id
    }
}
