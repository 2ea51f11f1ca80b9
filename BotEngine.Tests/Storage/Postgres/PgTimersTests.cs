using BotEngine.Conversations;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>An outcome's timer commands on PostgreSQL, applied in one batch, leave what applying them in turn would.</summary>
public sealed class PgTimersTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private string _database = "";

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task Each_names_last_command_counts_and_fired_timers_still_waiting_are_superseded()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node = await PgQueueRig.StartAsync(_database, clock: clock);
        var user = LineFixtures.NewUserId();
        await node.PostAndSplitAsync(LineFixtures.Body(LineFixtures.TextEvent(user, "1"), LineFixtures.TextEvent(user, "2")));
        var one = (await node.ClaimAsync()).Single();
        var minute = TimeSpan.FromMinutes(1);
        Assert.True(await node.Events.CompleteAsync(one, "sent", 1,
            [new TimerCommand("a", minute), new TimerCommand("b", minute), new TimerCommand("c", minute)], None));
        clock.Advance(minute);
        Assert.Equal(3, await node.Timers.MoveDueAsync(10, None)); // a, b and c wait in the lane behind "2"

        var two = (await node.ClaimAsync()).Single();
        Assert.Equal("2", two.Text);
        Assert.True(await node.Events.CompleteAsync(two, "sent", 1,
        [
            new TimerCommand("a", 5 * minute), new TimerCommand("b", null), new TimerCommand("b", 2 * minute),
            new TimerCommand("c", null), new TimerCommand("d", minute), new TimerCommand("d", null),
            new TimerCommand("e", minute), new TimerCommand("e", 3 * minute),
        ], None));

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var timers = await node.Timers.ListAsync(one.Lane, None);
        Assert.Equal([("b", now + 120_000), ("e", now + 180_000), ("a", now + 300_000)], timers.Select(t => (t.Name, t.DueAt)));
        Assert.All(timers, t => Assert.Equal(two.EventId, t.SetByEvent));
        Assert.Empty(await node.ClaimAsync()); // the fired a, b and c were superseded
        await using var connection = new NpgsqlConnection(_database);
        Assert.Equal(3L, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM events WHERE kind = 'timer' AND state = 2 AND outcome = 'timer superseded'"));
    }
}
