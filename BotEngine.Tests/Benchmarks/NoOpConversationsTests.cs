using BotEngine.Benchmarks;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Benchmarks;

/// <summary>The benchmark baseline (BotEngine:Conversations=NoOp): the same pipeline, a fixed answer per event.</summary>
public sealed class NoOpConversationsTests : EngineTest
{
    [Fact]
    public async Task Every_event_gets_the_fixed_answer_through_the_whole_pipeline()
    {
        Start(("BotEngine:Conversations", "NoOp"));
        var users = Enumerable.Range(0, 5).Select(_ => LineFixtures.NewUserId()).ToList();

        await PostAsync(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray());
        await PostAsync(LineFixtures.TextEvent(users[0], "count"));

        await Line.WaitForAcceptedAsync(users.Count + 1, Deadline);
        var accepted = await SettledAsync();
        Assert.All(accepted, a => Assert.Equal(NoOpConversations.Answer, a.Text));
        Assert.Equal(users.Count + 1, accepted.Count);
    }

    [Fact]
    public void An_unknown_runtime_stops_the_start_with_the_key_named()
    {
        var error = Assert.ThrowsAny<Exception>(() => Start(("BotEngine:Conversations", "Fast")));
        Assert.Contains("BotEngine:Conversations", error.ToString(), StringComparison.Ordinal);
    }
}
