using BotEngine.Conversations;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Tests.Timers;

/// <summary>Durable timers through the whole engine: set by a bot, stored in queue.db, fired into the lane, pushed.</summary>
public sealed class TimerTests : EngineTest
{
    private BotEngineApp StartWith(TimeSpan after)
    {
        App = BotEngineApp.Start(Data.Path, Line, services: s => s.AddSingleton<IBot>(new TimerBot(after)));
        return App;
    }

    private long Timers => App.Queue.Scalar("SELECT COUNT(*) FROM timers");

    private long FiredEvents => App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE kind = 'timer'");

    [Fact]
    public async Task Timer_set_by_the_bot_fires_as_a_pushed_answer()
    {
        StartWith(TimeSpan.FromMilliseconds(200));
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "remind", replyToken: LineFixtures.NewReplyToken()));
        await Line.WaitForAcceptedAsync(2, Deadline);

        var answers = await SettledAsync();
        Assert.Equal(FakeLineApi.Reply, answers[0].Endpoint);
        Assert.Equal((FakeLineApi.Push, user, TimerBot.Reminder), (answers[1].Endpoint, answers[1].To, answers[1].Text));
        Assert.Equal((0L, 1L), (Timers, FiredEvents));
    }

    [Fact]
    public async Task Timer_due_while_the_engine_was_stopped_fires_once_after_restart()
    {
        StartWith(TimeSpan.FromHours(1));
        var user = LineFixtures.NewUserId();
        await PostAsync(LineFixtures.TextEvent(user, "remind"));
        await SettledAsync();
        Assert.Equal(1, Timers);
        await App.DisposeAsync();

        // The hour passes while the engine is down.
        using (var connection = new SqliteConnection($"Data Source={App.Queue.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE timers SET due_at = {DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()}";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        StartWith(TimeSpan.FromHours(1));
        await Line.WaitForAcceptedAsync(2, Deadline);

        var answers = await SettledAsync();
        Assert.Equal([TimerBot.Reminder], answers.Skip(1).Select(a => a.Text));
        Assert.Equal((0L, 1L), (Timers, FiredEvents));
    }

    [Fact]
    public async Task Cancelled_timer_is_removed_and_never_fires()
    {
        StartWith(TimeSpan.FromHours(1));
        var user = LineFixtures.NewUserId();

        await PostAsync(LineFixtures.TextEvent(user, "remind"));
        await Eventually.TrueAsync(() => Timers == 1, Deadline, "the timer is stored");
        await PostAsync(LineFixtures.TextEvent(user, "cancel"));
        await Line.WaitForAcceptedAsync(2, Deadline);

        var answers = await SettledAsync();
        Assert.Equal(["ok, I will remind you", "cancelled"], answers.Select(a => a.Text));
        Assert.Equal((0L, 0L), (Timers, FiredEvents));
    }

    [Fact]
    public async Task Event_answered_again_after_a_failed_send_sets_its_timer_once()
    {
        StartWith(TimeSpan.FromMilliseconds(300));
        var user = LineFixtures.NewUserId();
        var token = LineFixtures.NewReplyToken();
        var failures = 0;
        // The first two sends fail: the event is handed to its conversation again and gets the remembered answer.
        Line.Fail(request => request.ReplyToken == token && Interlocked.Increment(ref failures) <= 2 ? 500 : null);

        await PostAsync(LineFixtures.TextEvent(user, "remind", replyToken: token));
        await Line.WaitForAcceptedAsync(2, Deadline);

        var answers = await SettledAsync();
        Assert.Equal(["ok, I will remind you", TimerBot.Reminder], answers.Select(a => a.Text));
        Assert.Equal((0L, 1L), (Timers, FiredEvents));
        Assert.Equal(3, Volatile.Read(ref failures));
    }
}
