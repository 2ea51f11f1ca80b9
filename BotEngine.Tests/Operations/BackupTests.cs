using System.Net;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Operations;
using BotEngine.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Operations;

/// <summary><c>botengine backup FILE</c> while the engine takes webhooks.</summary>
public sealed class BackupTests : EngineTest
{
    private const int Users = 20;
    private readonly TempDirectory _backups = new();

    [Fact]
    public async Task Backup_while_webhooks_arrive_gives_copies_that_open_and_hold_the_rows()
    {
        Start();
        for (var i = 0; i < Users; i++)
        {
            await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "count"));
        }

        await Line.WaitForAcceptedAsync(Users, Deadline);
        // The API's accept comes before the engine marks the event done: the backup must find them done.
        await Eventually.TrueAsync(() => App.Queue.Scalar("SELECT COUNT(*) FROM events WHERE state = 2") >= Users,
            Deadline, "the first users' events marked done");
        using var stop = new CancellationTokenSource();
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var traffic = KeepPostingAsync(flowing, stop.Token);
        await flowing.Task.WaitAsync(Deadline);
        var file = _backups.File("nightly.db");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Task.Run(() => EngineCommands.Run(
            ["backup", file, $"--BotEngine:DataDirectory={Data.Path}"], output, error));
        await stop.CancelAsync();
        var (accepted, refused) = await traffic;

        Assert.True(exitCode == 0, error.ToString());
        Assert.True(accepted > 0 && refused == 0, $"{accepted} accepted, {refused} refused during the backup");
        using var queue = Open(file);
        Assert.Equal("ok", queue.ExecuteScalar<string>("PRAGMA integrity_check"));
        Assert.True(queue.ExecuteScalar<long>("SELECT COUNT(*) FROM bodies") >= Users);
        Assert.True(queue.ExecuteScalar<long>("SELECT COUNT(*) FROM events WHERE state = 2") >= Users);
        var conversations = 0L;
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            using var copy = Open(_backups.File($"nightly.conversations-{shard}.db"));
            Assert.Equal("ok", copy.ExecuteScalar<string>("PRAGMA integrity_check"));
            conversations += copy.ExecuteScalar<long>("SELECT COUNT(DISTINCT persistence_id) FROM journal");
        }

        Assert.True(conversations >= Users);
        Assert.Empty(Directory.GetFiles(_backups.Path, "*.partial"));
    }

    [Fact]
    public async Task Backup_refuses_to_overwrite_and_names_a_missing_data_folder()
    {
        var file = _backups.File("taken.db");
        await File.WriteAllTextAsync(file, "older backup");
        Start();
        await PostAsync(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var overwrite = EngineCommands.Run(["backup", file, $"--BotEngine:DataDirectory={Data.Path}"], output, error);
        var missing = EngineCommands.Run(
            ["backup", _backups.File("new.db"), $"--BotEngine:DataDirectory={_backups.File("nowhere")}"], output, error);
        var usage = EngineCommands.Run(["backup"], output, error);

        Assert.Equal((1, 1, 2), (overwrite, missing, usage));
        Assert.Equal("older backup", await File.ReadAllTextAsync(file));
        Assert.Contains("exists already", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("no queue.db", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/b/nightly.db", "/b/nightly.conversations-2.db")]
    [InlineData("/b/nightly", "/b/nightly.conversations-2")]
    [InlineData("/b/q.2026.sqlite", "/b/q.2026.conversations-2.sqlite")]
    public void The_conversation_copies_go_beside_the_queue_copy(string queueCopy, string copy) =>
        Assert.Equal(copy, BackupCommand.ShardCopyPath(queueCopy, 2));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _backups.Dispose();
    }

    private async Task<(int Accepted, int Refused)> KeepPostingAsync(TaskCompletionSource flowing, CancellationToken ct)
    {
        int accepted = 0, refused = 0;
        while (!ct.IsCancellationRequested)
        {
            var body = LineFixtures.Body(LineFixtures.TextEvent(LineFixtures.NewUserId(), "ping"));
            using var response = await App.PostLineAsync(body);
            _ = response.StatusCode == HttpStatusCode.OK ? accepted++ : refused++;
            flowing.TrySetResult();
        }

        return (accepted, refused);
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }
}
