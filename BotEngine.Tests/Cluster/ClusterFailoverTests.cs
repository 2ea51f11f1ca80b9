using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;
using BotEngine.Tests.Support;
using Dapper;
using Npgsql;
using Xunit.Abstractions;

namespace BotEngine.Tests.Cluster;

/// <summary>
/// Three engine processes share one PostgreSQL: webhooks go to any node, a kill -9 of one node mid-burst and a rolling
/// restart of all three lose, double and reorder nothing, and a conversation's state follows it to another node.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterFailoverTests(ITestOutputHelper output) : EngineTest
{
    // The 3,000 events of 300 users x 10 rounds (~1 min); BOTENGINE_CLUSTER_USERS=60 runs a quicker 600 by hand.
    private static readonly int Users = int.TryParse(Environment.GetEnvironmentVariable("BOTENGINE_CLUSTER_USERS"), out var n) ? n : 300;
    private const int Rounds = 10;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    [PostgresFact]
    public async Task Kill_9_and_a_rolling_restart_lose_double_and_reorder_nothing()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var cluster = new EngineCluster(database, Line, 3);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.StartAsync(0);
        await Task.WhenAll(cluster.StartAsync(1), cluster.StartAsync(2));
        await cluster.WaitUpAsync(3, TimeSpan.FromSeconds(30));
        output.WriteLine($"{clock.Elapsed}: 3 up: {EngineCluster.Health(cluster.Nodes[0]!)}");
        var users = Enumerable.Range(0, Users).Select(_ => LineFixtures.NewUserId()).ToList();

        for (var r = 1; r <= 3; r++) await PostRoundAsync(cluster, users, r);
        await cluster.Nodes[1]!.KillAsync();
        output.WriteLine($"{clock.Elapsed}: n1 killed");
        for (var r = 4; r <= 6; r++) await PostRoundAsync(cluster, users, r);
        // Once the dead node is downed, each survivor sends half of LINE's limit; a third again when it is back.
        await WaitShareAsync(cluster, 2);
        output.WriteLine($"{clock.Elapsed}: n1 downed, rate share 1/2");
        await cluster.StartAsync(1);
        await cluster.WaitUpAsync(3, Long);
        await WaitShareAsync(cluster, 3);
        output.WriteLine($"{clock.Elapsed}: n1 back, 3 up");

        // Rolling restart: each node stopped (SIGTERM), started again and Up before the next.
        for (var i = 0; i < 3; i++)
        {
            await PostRoundAsync(cluster, users, 7 + i);
            var node = cluster.Nodes[i]!;
            node.Terminate();
            await node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await node.DisposeAsync();
            await cluster.StartAsync(i);
            await cluster.WaitUpAsync(3, Long);
            output.WriteLine($"{clock.Elapsed}: n{i} restarted");
        }

        await PostRoundAsync(cluster, users, Rounds);
        try
        {
            await Line.WaitForAcceptedAsync(Users * Rounds, Long);
        }
        finally
        {
            await using var diagnostics = new NpgsqlConnection(database);
            foreach (var row in await diagnostics.QueryAsync<(long, string, int, int, string?, string?, int)>(
                "SELECT id, lane, state::int, attempts, outcome, last_error, reply_state FROM events WHERE state <> 2 OR outcome NOT IN ('replied', 'pushed') ORDER BY id"))
            {
                output.WriteLine($"event {row}");
            }
        }
        output.WriteLine($"{clock.Elapsed}: all answered");

        var answers = Line.Accepted;
        Assert.Equal(Users * Rounds, answers.Count);
        foreach (var user in users)
        {
            // The count went on wherever the conversation lived: its state followed it across nodes.
            Assert.Equal(Enumerable.Range(1, Rounds).Select(n => $"#{n}"),
                Answers.CountsOf(answers, user));
        }

        await using var connection = new NpgsqlConnection(database);
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM events WHERE state = 3"));
    }

    // Every channel's share follows the membership: LINE's 2,000/s, Telegram's 30/s and a Messenger page's 300/s.
    private static async Task WaitShareAsync(EngineCluster cluster, int nodes)
    {
        var shares = $"rate share 1/{nodes} (line {LineRateLimits.Share(LineOptions.DefaultRequestsPerSecond, nodes)}/s, " +
            $"telegram {TelegramRateLimits.Share(nodes)}/s, messenger {MessengerRateLimits.Share(nodes)}/s)";
        foreach (var node in cluster.Live)
        {
            await Eventually.ValueAsync(() => EngineCluster.Health(node), h => h.Contains(shares, StringComparison.Ordinal), Long, shares);
        }
    }

    // Round r holds message r of every user, in 3 bodies posted to the live nodes in turn (the load balancer); a
    // refused or failed post goes to the next node, as a platform redelivery would (dedupe makes it harmless).
    private static async Task PostRoundAsync(EngineCluster cluster, List<string> users, int round)
    {
        var bodies = users.Chunk(Users / 3).Select(part =>
            Answers.CountRound(part, round)).ToList();
        for (var b = 0; b < bodies.Count; b++)
        {
            var live = cluster.Live.ToList();
            for (var attempt = 0; ; attempt++)
            {
                var node = live[(b + attempt) % live.Count];
                try
                {
                    using var response = await node.PostLineAsync(bodies[b]);
                    if (response.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (attempt < 10)
                {
                    // that node is going away: the next one takes it
                }
            }
        }
    }
}
