using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Tests.Support;
using Npgsql;

namespace BotEngine.Tests.Cluster;

/// <summary>
/// Cluster mode reports a conversation that cannot be read as local mode does: its event is dead-lettered on the
/// first attempt, wherever the conversation lives and whichever node asked, and a reset lets the user go on.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterReplayFailureTests : EngineTest
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task An_unreadable_conversation_is_dead_lettered_at_once_and_a_reset_lets_its_user_go_on()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var cluster = new EngineCluster(database, Line, 2);
        await cluster.StartAsync(0);
        await cluster.StartAsync(1);
        await cluster.WaitUpAsync(2, Long);
        // 4 users over 100 shards on 2 nodes: some conversations almost surely live on the node that did not ask.
        var broken = Enumerable.Range(0, 4).Select(_ => LineFixtures.NewUserId()).ToList();
        var healthy = LineFixtures.NewUserId();
        await AppendUnreadableRowsAsync(database, broken);

        await PostAsync(cluster, [.. broken, healthy], round: 1);

        await Line.WaitForAcceptedAsync(1, Long);
        var letters = await Eventually.ValueAsync(() => DeadLettersAsync(cluster), l => l.Count == broken.Count, Long,
            "a dead letter for each unreadable conversation");
        Assert.All(letters, letter =>
        {
            // Dead-lettered on the attempt that met the unreadable state, not after MaxAttempts (100 here): on a loaded
            // machine an earlier attempt may time out (3 s in these tests) while the conversation's shard gets a home.
            Assert.InRange(letter.GetProperty("attempts").GetInt32(), 1, 3);
            Assert.Contains("cannot be read", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        });
        Assert.Contains(cluster.Live, node => EngineCluster.Health(node).StartsWith("Degraded", StringComparison.Ordinal));

        foreach (var user in broken)
        {
            using var reset = await cluster.Nodes[1]!.Client.PostAsync(
                $"/admin/conversations/{Uri.EscapeDataString($"line:{user}")}/reset", null);
            Assert.True(reset.IsSuccessStatusCode, $"reset of {user}: {reset.StatusCode}");
        }

        await PostAsync(cluster, [.. broken, healthy], round: 2);
        await Line.WaitForAcceptedAsync(2 + broken.Count, Long);
        foreach (var user in broken) Assert.Equal(["#1"], Counts(user));
        Assert.Equal(["#1", "#2"], Counts(healthy));
    }

    private static async Task PostAsync(EngineCluster cluster, List<string> users, int round)
    {
        var body = Answers.CountRound(users, round);
        using var response = await cluster.Nodes[0]!.PostLineAsync(body);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<List<JsonElement>> DeadLettersAsync(EngineCluster cluster) =>
        [.. (await cluster.Nodes[0]!.Client.GetFromJsonAsync<JsonElement>("/admin/dead-letters")).EnumerateArray()];

    // A first event with a manifest of a format version no build has written: its replay fails for good.
    private static async Task AppendUnreadableRowsAsync(string database, List<string> users)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var user in users)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier)
                VALUES (0, false, @id, 1, '\x0a0b'::bytea, 'event-applied/99', 1107)
                """, connection);
            command.Parameters.AddWithValue("id", $"conversation-line-{user}");
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    private List<string> Counts(string user) => Answers.CountsOf(Line.Accepted, user);
}
