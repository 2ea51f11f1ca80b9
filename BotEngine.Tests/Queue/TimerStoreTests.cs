using BotEngine.Channels;
using BotEngine.Conversations;
using BotEngine.Queue;
using BotEngine.Storage;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Queue;

/// <summary>The timers table on a real file with a clock the test moves.</summary>
public sealed class TimerStoreTests : IDisposable
{
    private readonly TempQueue _q = new();
    private readonly TimerStore _timers;

    public TimerStoreTests() => _timers = new TimerStore(_q.Database, _q.Writer, _q.Clock);

    private QueueFile File => _q.File;

    public void Dispose() => _q.Dispose();

    [Fact]
    public async Task Completing_an_event_twice_sets_its_timer_once()
    {
        var queued = await ClaimOneAsync("U1", "e1");
        TimerCommand[] set = [TimerCommand.Set("nudge", TimeSpan.FromMinutes(1))];

        Assert.True(await _q.Events.CompleteAsync(queued, "pushed", 1, set, default));
        _q.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await _timers.MoveDueAsync(10, default));
        Assert.False(await _q.Events.CompleteAsync(queued, "pushed", 1, set, default));

        Assert.Equal(0, File.Scalar("SELECT COUNT(*) FROM timers"));
        Assert.Equal(0, await _timers.MoveDueAsync(10, default));
    }

    [Fact]
    public async Task Due_timer_becomes_one_pending_timer_event_in_its_lane()
    {
        var queued = await ClaimOneAsync("U1", "e1");
        await _q.Events.CompleteAsync(queued, "pushed", 1, [TimerCommand.Set("nudge", TimeSpan.FromSeconds(10))], default);

        Assert.Equal(0, await _timers.MoveDueAsync(10, default));
        Assert.Equal(_q.Clock.GetUtcNow().AddSeconds(10).ToUnixTimeMilliseconds(), await _timers.NextDueAtAsync(default));
        _q.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await _timers.MoveDueAsync(10, default));

        var fired = Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));
        Assert.Equal(("line:U1", "U1", null), (fired.Lane, fired.Recipient, fired.ReplyToken));
        Assert.Equal(new ConversationInput(TimerCommand.InputKind, Data: "nudge"), fired.Input);
        Assert.Null(await _timers.NextDueAtAsync(default));
    }

    [Fact]
    public async Task Cancel_supersedes_a_fired_timer_still_waiting_behind_the_users_message()
    {
        var remind = await ClaimOneAsync("U1", "e1");
        await _q.Events.CompleteAsync(remind, "pushed", 1, [TimerCommand.Set("nudge", TimeSpan.FromSeconds(1))], default);
        await _q.SplitAsync(("U1", "e2"));
        _q.Clock.Advance(TimeSpan.FromSeconds(1));
        await _timers.MoveDueAsync(10, default);

        var cancel = Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));
        Assert.Equal("e2", cancel.EventId);
        await _q.Events.CompleteAsync(cancel, "pushed", 1, [TimerCommand.Cancel("nudge")], default);

        Assert.Empty(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));
        Assert.Equal(1, File.Scalar("SELECT COUNT(*) FROM events WHERE kind = 'timer' AND outcome = 'timer superseded'"));
    }

    [Fact]
    public void Version_1_file_gains_the_timers_table()
    {
        using var connection = new SqliteConnection($"Data Source={_q.Data.File("old.db")};Pooling=False");
        connection.Open();
        Schema.Apply(connection);
        SqliteDatabase.Execute(connection, "DROP TABLE timers; PRAGMA user_version = 1;");

        Schema.Apply(connection);

        using var check = connection.CreateCommand();
        check.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master WHERE name = 'timers') * 10 + (SELECT user_version FROM pragma_user_version)";
        Assert.Equal(10L + Schema.Version, check.ExecuteScalar());
    }

    private async Task<QueuedEvent> ClaimOneAsync(string user, string eventId)
    {
        await _q.SplitAsync((user, eventId));
        return Assert.Single(await _q.Events.ClaimAsync(10, TempQueue.Lease, default));
    }

}
