using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Conversations;

/// <summary>
/// A conversation whose journal cannot be read (here: a row with a manifest no build wrote) is reported at once and
/// blocks nobody: its event is dead-lettered on the first attempt, /healthz says Degraded, the counter counts, and a
/// reset through the admin API lets the user go on. Other conversations are not affected.
/// </summary>
public sealed class ReplayFailureTests : EngineTest
{
    [Fact]
    public async Task Unreadable_state_dead_letters_at_once_and_a_reset_lets_the_user_go_on()
    {
        Start();
        var (broken, healthy) = (LineFixtures.NewUserId(), LineFixtures.NewUserId());
        await PostAsync(LineFixtures.TextEvent(broken, "count"), LineFixtures.TextEvent(healthy, "count"));
        await Line.WaitForAcceptedAsync(2, Deadline);
        await RestartAsync(() => AppendUnreadableRow(new ConversationKey(LineChannel.Id, broken)));

        await PostAsync(LineFixtures.TextEvent(broken, "count"), LineFixtures.TextEvent(healthy, "count"));

        await Line.WaitForAcceptedAsync(3, Deadline);
        await SettledAsync();
        Assert.Contains("#2", Line.Accepted.Last(a => a.IsTo(healthy, App.Queue)).Text, StringComparison.Ordinal);
        var letter = Assert.Single((await App.Client.GetFromJsonAsync<JsonElement>("/admin/dead-letters")).EnumerateArray());
        Assert.Equal(1, letter.GetProperty("attempts").GetInt32()); // no retries: permanent until reset
        Assert.Contains("cannot be read", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("event-applied/99", letter.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Degraded: 1 conversation", await App.Client.GetStringAsync("/healthz"), StringComparison.Ordinal);
        Assert.Contains("botengine_replay_failures_total 1", await App.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Equal(1, await UnreadableOnDashboardAsync());

        using var reset = await App.Client.PostAsync($"/admin/conversations/{Uri.EscapeDataString($"line:{broken}")}/reset", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("Healthy", await App.Client.GetStringAsync("/healthz"));
        Assert.Equal(0, await UnreadableOnDashboardAsync());
        using var retry = await App.Client.PostAsync($"/admin/dead-letters/{letter.GetProperty("id").GetInt64()}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await Line.WaitForAcceptedAsync(4, Deadline);
        await PostAsync(LineFixtures.TextEvent(broken, "count"), LineFixtures.TextEvent(healthy, "count"));

        await Line.WaitForAcceptedAsync(6, Deadline);
        Assert.Equal(["#1", "#1", "#2"], Line.Accepted.Where(a => a.IsTo(broken, App.Queue)).Select(a => Answers.Counter(a.Text)));
        Assert.Equal(["#1", "#2", "#3"], Line.Accepted.Where(a => a.IsTo(healthy, App.Queue)).Select(a => Answers.Counter(a.Text)));
    }

    [Theory]
    [InlineData("line")]
    [InlineData("fax%3AU1")]
    [InlineData("line%3A")]
    public async Task A_reset_of_a_malformed_key_is_400(string key)
    {
        Start();

        using var response = await App.Client.PostAsync($"/admin/conversations/{key}/reset", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<int> UnreadableOnDashboardAsync() =>
        (await App.Client.GetFromJsonAsync<JsonElement>("/admin/api/stats")).GetProperty("unreadableConversations").GetInt32();

    private async Task RestartAsync(Action whileStopped)
    {
        await App.DisposeAsync();
        whileStopped();
        Start();
    }

    // The next sequence number, with a manifest of a format version no build has written.
    private void AppendUnreadableRow(ConversationKey key)
    {
        var file = Data.File(ConversationShards.FileName(ConversationShards.Of(key.PersistenceId)));
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier)
            SELECT 0, 0, $id, MAX(sequence_number) + 1, x'0a0b', 'event-applied/99', 1107 FROM journal WHERE persistence_id = $id
            """;
        command.Parameters.AddWithValue("$id", key.PersistenceId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
