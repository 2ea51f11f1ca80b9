using BotEngine.Tests.Support;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// The whole engine with Storage=Postgres: webhooks stored in PostgreSQL, lanes claimed there, state journaled there.
/// A kill -9 mid-burst and a restart with an empty data folder lose, double and reorder nothing.
/// </summary>
public sealed class PostgresEngineTests(ITestOutputHelper output) : EngineTest
{
    private const int Users = 20;
    private const int Rounds = 6;

    [PostgresFact]
    public async Task In_process_engine_answers_every_user_once_in_order()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        App = BotEngineApp.Start(Data.Path, Line, Settings(database).ToDictionary(s => s.Key, s => (string?)s.Value));
        var users = NewUsers();
        for (var r = 1; r <= Rounds; r++)
        {
            using var response = await App.PostLineAsync(Round(users, r));
            Assert.Equal(200, (int)response.StatusCode);
        }

        await Line.WaitForAcceptedAsync(Users * Rounds, Deadline);
        AssertCountedOnceInOrder(users);
        await AssertQueueSettledAsync(database);
    }

    [PostgresFact]
    public async Task Kill_9_mid_burst_then_a_restart_on_an_empty_data_folder_loses_nothing()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var arguments = Settings(database).Select(s => $"--{s.Key}={s.Value}").ToArray();
        var users = NewUsers();
        Line.Latency = TimeSpan.FromMilliseconds(20);
        await using (var first = await EngineProcess.StartAsync(Data.Path, Line, arguments))
        {
            for (var r = 1; r <= Rounds / 2; r++)
            {
                using var response = await first.PostLineAsync(Round(users, r));
                Assert.Equal(200, (int)response.StatusCode);
            }

            await first.KillAsync();
        }

        output.WriteLine($"answered before the kill: {Line.Accepted.Count}");
        using var elsewhere = new TempDirectory(); // nothing of the queue or the state lives in the data folder
        await using var second = await EngineProcess.StartAsync(elsewhere.Path, Line, arguments);
        for (var r = Rounds / 2 + 1; r <= Rounds; r++)
        {
            using var response = await second.PostLineAsync(Round(users, r));
            Assert.Equal(200, (int)response.StatusCode);
        }

        await Line.WaitForAcceptedAsync(Users * Rounds, Deadline);
        AssertCountedOnceInOrder(users);
        await AssertQueueSettledAsync(database);
    }

    private static Dictionary<string, string> Settings(string database) => new()
    {
        ["BotEngine:Storage"] = "Postgres",
        ["ConnectionStrings:Postgres"] = database,
        ["BotEngine:Cluster:NodeName"] = "single",
    };

    private static List<string> NewUsers() => Enumerable.Range(0, Users).Select(_ => LineFixtures.NewUserId()).ToList();

    // Reply tokens name their user, so a reply is attributed without reading the queue.
    private static byte[] Round(List<string> users, int round) =>
        Answers.CountRound(users, round);

    private void AssertCountedOnceInOrder(List<string> users)
    {
        var answers = Line.Accepted;
        Assert.Equal(Users * Rounds, answers.Count);
        foreach (var user in users)
        {
            Assert.Equal(Enumerable.Range(1, Rounds).Select(n => $"#{n}"),
                Answers.CountsOf(answers, user));
        }
    }

    private static async Task AssertQueueSettledAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await Eventually.TrueAsync(() => connection.ExecuteScalar<long>("SELECT count(*) FROM events WHERE state <> 2") == 0,
            TimeSpan.FromSeconds(30), "every event done, none dead");
    }
}
