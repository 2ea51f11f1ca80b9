using BotEngine.Tests.Support;

namespace BotEngine.Tests.Pipeline;

/// <summary>Promises 1, 3, 4, 5 and 8 across a restart: nothing lost, nothing twice, order kept, counts go on.</summary>
public sealed class RestartTests : EngineTest
{
    private const int Users = 10;
    private const int MessagesEach = 12;

    [Fact]
    public async Task Restart_mid_stream_loses_and_duplicates_nothing()
    {
        Line.Latency = TimeSpan.FromMilliseconds(20);
        Start();
        var users = NewUsers();

        await PostRoundsAsync(users, body => App.PostLineAsync(body));
        await Line.WaitForAcceptedAsync(Users * 2, Deadline);
        await RestartAsync();

        await Line.WaitForAcceptedAsync(Users * MessagesEach, Deadline);
        Answers.AssertEachUserCountedOnceInOrder(await SettledAsync(), users, MessagesEach, App.Queue);

        await PostAsync(LineFixtures.TextEvent(users[0], "count"));
        await Line.WaitForAcceptedAsync(Users * MessagesEach + 1, Deadline);
        Assert.Contains($"#{MessagesEach + 1}", (await SettledAsync())[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_9_mid_stream_loses_and_duplicates_nothing()
    {
        Line.Latency = TimeSpan.FromMilliseconds(20);
        var users = NewUsers();
        await using (var first = await EngineProcess.StartAsync(Data.Path, Line))
        {
            await PostRoundsAsync(users, first.PostLineAsync);
            await Line.WaitForAcceptedAsync(Users * 2, Deadline);
            await first.KillAsync();
        }

        await using var second = await EngineProcess.StartAsync(Data.Path, Line);
        await Line.WaitForAcceptedAsync(Users * MessagesEach, Deadline);
        var queue = new QueueFile(Data.Path);
        await Eventually.TrueAsync(() => queue.Settled, Deadline, "all events done after the restart");
        Answers.AssertEachUserCountedOnceInOrder(Line.Accepted, users, MessagesEach, queue);
    }

    private static List<string> NewUsers() => Enumerable.Range(0, Users).Select(_ => LineFixtures.NewUserId()).ToList();

    // Each body holds one message of every user: MessagesEach bodies in all.
    private static async Task PostRoundsAsync(List<string> users, Func<byte[], Task<HttpResponseMessage>> post)
    {
        for (var round = 0; round < MessagesEach; round++)
        {
            using var response = await post(LineFixtures.Body(users.Select(u => LineFixtures.TextEvent(u, "count")).ToArray()));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }
}
