using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;

namespace BotEngine.Tests.Cluster;

/// <summary>
/// In cluster mode the admin conversation reset is taken by any node and carried to the node where the conversation
/// lives: its users start over, the others go on.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterResetTests : EngineTest
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task A_reset_on_one_node_starts_the_conversation_over_wherever_it_lives()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var cluster = new EngineCluster(database, Line, 2);
        await cluster.StartAsync(0);
        await cluster.StartAsync(1);
        await cluster.WaitUpAsync(2, Long);
        // Each node sends half of LINE's limit once both are up.
        await Eventually.ValueAsync(() => EngineCluster.Health(cluster.Nodes[1]!),
            h => h.Contains("rate share 1/2", StringComparison.Ordinal), Long, "rate share 1/2");
        // 8 users over 100 shards on 2 nodes: almost surely some live on n0 (shards go to the node with fewest), so
        // n1's resets cross the network.
        var users = Enumerable.Range(0, 8).Select(_ => LineFixtures.NewUserId()).ToList();
        var kept = LineFixtures.NewUserId();
        await RoundAsync(cluster, [.. users, kept], 1, 9);
        await RoundAsync(cluster, [.. users, kept], 2, 18);

        foreach (var user in users)
        {
            using var response = await cluster.Nodes[1]!.Client.PostAsync(
                $"/admin/conversations/{Uri.EscapeDataString($"line:{user}")}/reset", null);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {answer}");
            Assert.Equal($"line:{user}", answer.GetProperty("conversation").GetString());
        }

        await RoundAsync(cluster, [.. users, kept], 3, 27);
        foreach (var user in users) Assert.Equal(["#1", "#2", "#1"], Counts(user));
        Assert.Equal(["#1", "#2", "#3"], Counts(kept));
    }

    // Each user says "count" once, through n0; waits until all answers so far arrived.
    private async Task RoundAsync(EngineCluster cluster, List<string> users, int round, int answered)
    {
        var body = Answers.CountRound(users, round);
        using var response = await cluster.Nodes[0]!.PostLineAsync(body);
        response.EnsureSuccessStatusCode();
        await Line.WaitForAcceptedAsync(answered, Long);
    }

    private List<string> Counts(string user) => Answers.CountsOf(Line.Accepted, user);
}
