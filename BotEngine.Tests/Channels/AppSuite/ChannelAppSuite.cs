using System.Net;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Channels.AppSuite;

/// <summary>
/// The app-level promises, written once and run for every channel (one small subclass each, in
/// <c>ChannelAppSuites.cs</c>): the engine on real Kestrel, the channel's fake API on loopback, real SQLite files.
/// Every user sends <c>count</c>, so each answer carries its <c>#n</c>: a lost, doubled or reordered answer shows.
/// </summary>
public abstract partial class ChannelAppSuite : EngineTest
{
    private const int Users = 20;
    private const int Rounds = 6;

    [Fact]
    public async Task One_users_30_messages_over_several_bodies_are_answered_in_order_each_once()
    {
        StartEngine();
        var (user, other) = (Driver.NewUser(), Driver.NewUser());

        for (var body = 0; body < 6; body++)
        {
            await PostEventsAsync(App.Client, [.. Enumerable.Range(0, 5).SelectMany(_ => new[] { (user, "count"), (other, "count") })]);
        }

        await SettledAsync(App.Queue);
        AssertCountedOnceInOrder([user, other], 30, App.Queue);
    }

    [Fact]
    public async Task A_redelivered_body_is_answered_once()
    {
        StartEngine();
        var users = NewUsers(5);
        var bodies = Driver.Bodies([.. users.Select(u => (u, "count"))]);
        foreach (var body in bodies) Assert.Equal(HttpStatusCode.OK, await Driver.PostAsync(App.Client, body));
        await Driver.WaitForAnswersAsync(users.Count);

        foreach (var body in bodies) Assert.Equal(HttpStatusCode.OK, await Driver.PostAsync(App.Client, Driver.Redelivered(body)));
        await PostEventsAsync(App.Client, [(users[0], "count")]); // counting goes on from #1: the copy was not counted

        await SettledAsync(App.Queue);
        Assert.Equal((2 * bodies.Count + 1, users.Count + 1L), (App.Queue.Bodies, App.Queue.Events));
        Assert.Equal(["#1", "#2"], Counters(users[0], App.Queue));
        Assert.All(users.Skip(1), u => Assert.Equal(["#1"], Counters(u, App.Queue)));
    }

    [Fact]
    public async Task A_restart_mid_stream_loses_and_doubles_nothing()
    {
        StartEngine();
        var users = NewUsers(Users);

        await PostRoundsAsync(App.Client, users, Rounds);
        await Driver.WaitForAnswersAsync(Users);
        await RestartAsync([.. Driver.Settings]);

        await SettledAsync(App.Queue);
        AssertCountedOnceInOrder(users, Rounds, App.Queue);
    }

    [Fact]
    public async Task A_kill_9_mid_stream_loses_nothing_unless_counted_uncertain_and_keeps_order()
    {
        var users = NewUsers(Users);
        string[] arguments = [.. Driver.Settings.Select(s => $"--{s.Key}={s.Value}")];
        await using (var first = await EngineProcess.StartAsync(Data.Path, Line, arguments))
        {
            await PostRoundsAsync(first.Client, users, Rounds);
            await Driver.WaitForAnswersAsync(Users);
            await first.KillAsync();
        }

        await using var second = await EngineProcess.StartAsync(Data.Path, Line, arguments);
        var queue = new QueueFile(Data.Path);
        await SettledAsync(queue);
        AssertInOrderWithinTheAmbiguity(users, Rounds, queue);
    }

    [Fact]
    public async Task Rate_limits_and_server_errors_a_third_of_the_time_still_give_one_answer_per_event_in_order()
    {
        Driver.FailureRate = 1.0 / 3;
        StartEngine();
        var users = NewUsers(Users);

        await PostRoundsAsync(App.Client, users, 5);

        await SettledAsync(App.Queue);
        AssertCountedOnceInOrder(users, 5, App.Queue);
        Assert.True(Driver.SawRateLimitsAndServerErrors, "both rate limits and server errors were answered");
        Assert.Equal(0, App.Queue.DeadEvents);
    }

    [Fact]
    public async Task A_wrong_or_missing_signature_is_401_and_nothing_is_stored()
    {
        StartEngine();
        var body = Driver.Bodies([(Driver.NewUser(), "ping")])[0];

        Assert.Equal(HttpStatusCode.Unauthorized, await Driver.PostAsync(App.Client, body, Forgery.WrongSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, await Driver.PostAsync(App.Client, body, Forgery.NoSignature));
        Assert.Equal(0, App.Queue.Bodies);

        Assert.Equal(HttpStatusCode.OK, await Driver.PostAsync(App.Client, body)); // the same bytes, signed, are taken
        Assert.Equal(1, App.Queue.Bodies);
    }

    [Fact]
    public async Task An_unreachable_api_pauses_sending_without_using_up_attempts_and_resumes_in_order()
    {
        StartEngine(("BotEngine:MaxAttempts", "2"), ("BotEngine:OutageProbeInterval", "00:00:00.500"));
        await Driver.GoOfflineAsync();
        var users = NewUsers(4);

        await PostRoundsAsync(App.Client, users, 3);
        var health = await App.HealthShowsAsync($"{Driver.Name} API unreachable", Driver.Deadline);
        var refused = await RefusedCallsAsync();
        await Eventually.TrueAsync(async () => await RefusedCallsAsync() >= refused + 3, Driver.Deadline,
            "three more refused probes, more than MaxAttempts allows");
        Assert.Equal(1, await App.MetricAsync($"botengine_platform_unreachable{{channel=\"{Driver.Name}\"}}"));
        await Driver.GoOnlineAsync();

        await SettledAsync(App.Queue);
        Assert.StartsWith("200 Degraded", health, StringComparison.Ordinal);
        Assert.Equal(0, App.Queue.DeadEvents);
        AssertCountedOnceInOrder(users, 3, App.Queue);
        await App.HealthShowsAsync("Healthy", Driver.Deadline);
    }
}
