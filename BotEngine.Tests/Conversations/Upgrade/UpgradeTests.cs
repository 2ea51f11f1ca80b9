using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Conversations.Persistence.Upgrade;
using BotEngine.Channels.Dev;
using BotEngine.Tests.Channels.Dev;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Conversations.Upgrade;

/// <summary>
/// Today's engine on a copy of an akka.db written by the build before the owned format (Fixture/README.md): every
/// conversation keeps its step, variables and count and answers, the migration runs once and places each
/// conversation in its shard file.
/// </summary>
public sealed class UpgradeTests : EngineTest
{
    private static readonly string[] DevUsers = ["alice", "bob", "carol", "dave", "erin"];
    private const string LineUser1 = "U11111111111111111111111111111111";
    private const string LineUser2 = "U22222222222222222222222222222222";

    [Fact]
    public async Task Conversations_of_an_earlier_build_keep_their_state_and_go_on()
    {
        File.Copy(Path.Combine(UpgradeFixture.Folder, "akka.db"), Data.File(LegacyMigration.LegacyFileName));
        UpgradeFixture.CopyFlows(Data.Path);
        var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(UpgradeFixture.Folder, "expected.json")));
        Start();

        foreach (var user in DevUsers)
        {
            var want = expected.RootElement.GetProperty(user);
            var have = await App.Client.GetFromJsonAsync<JsonElement>($"/dev/api/conversations/{user}");
            Assert.Equal(want.GetProperty("step").GetString(), have.GetProperty("step").GetString());
            Assert.Equal(Variables(want), Variables(have));
        }

        foreach (var user in DevUsers)
        {
            var texts = int.Parse(expected.RootElement.GetProperty(user).GetProperty("variables").GetProperty("texts").GetString()!,
                System.Globalization.CultureInfo.InvariantCulture);
            await using var stream = await DevStream.OpenAsync(App.Client, user);
            await DevStream.PostAsync(App.Client, user, "count");
            var answer = await stream.NextAsync(e => e.From == DevEntry.FromBot, Deadline);
            Assert.Contains($"#{texts + 1}", answer.Text, StringComparison.Ordinal);
        }

        // LINE users of the fixture: 4 and 3 texts sent before the upgrade.
        await PostAsync(LineFixtures.TextEvent(LineUser1, "count"), LineFixtures.TextEvent(LineUser2, "count"));
        await Line.WaitForAcceptedAsync(2, Deadline);
        Assert.Contains("#5", Line.Accepted.Single(a => a.IsTo(LineUser1, App.Queue)).Text, StringComparison.Ordinal);
        Assert.Contains("#4", Line.Accepted.Single(a => a.IsTo(LineUser2, App.Queue)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migration_runs_once_and_places_each_conversation_in_its_shard()
    {
        File.Copy(Path.Combine(UpgradeFixture.Folder, "akka.db"), Data.File(LegacyMigration.LegacyFileName));
        Start();
        var rows = ShardRows();
        await RestartAsync(); // the second start finds the marker and copies nothing again

        Assert.Equal(rows, ShardRows());
        Assert.Equal(7, rows.Select(r => r.Id).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(ConversationShards.Of(r.Id), r.Shard));
        Assert.All(rows, r => Assert.Equal(1107, r.Serializer));
        Assert.Equal(1, Scalar(Data.File(LegacyMigration.LegacyFileName), $"SELECT COUNT(*) FROM {LegacyMigration.MarkerTable}"));
    }

    private static Dictionary<string, string?> Variables(JsonElement view) => view.GetProperty("variables").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.GetString());

    private List<(int Shard, string Id, long Seq, long Serializer)> ShardRows()
    {
        var rows = new List<(int, string, long, long)>();
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            using var connection = new SqliteConnection($"Data Source={Data.File(ConversationShards.FileName(shard))};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT persistence_id, sequence_number, identifier FROM journal
                UNION ALL SELECT persistence_id, sequence_number, serializer_id FROM snapshot ORDER BY 1, 2
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read()) rows.Add((shard, reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

    private static long Scalar(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
