using Akka.Actor;
using Akka.Hosting;
using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using static BotEngine.Tests.Conversations.ConversationStateTests;

namespace BotEngine.Tests.Conversations;

/// <summary>The real registration on real shard files: state survives a host restart.</summary>
public sealed class ConversationPersistenceTests : IDisposable
{
    private static readonly ConversationKey Key = new(LineChannel.Id, "U42");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Count_continues_after_a_host_restart_on_the_same_folder()
    {
        using (var host = await StartAsync())
        {
            var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
            for (var i = 1; i <= 3; i++)
            {
                var handled = await router.Ask<EventHandled>(new HandleEvent(Key, i, $"e{i}", Text("count")), Timeout);
                Assert.Contains($"#{i}", handled.Messages.Single().Text, StringComparison.Ordinal);
            }
            await host.StopAsync();
        }

        Assert.Equal(1L, SnapshotCount()); // the seq-2 snapshot was written before the host finished stopping
        using (var host = await StartAsync())
        {
            var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
            var again = await router.Ask<EventHandled>(new HandleEvent(Key, 3, "e3", Text("count")), Timeout);
            var next = await router.Ask<EventHandled>(new HandleEvent(Key, 4, "e4", Text("count")), Timeout);

            Assert.Contains("#3", again.Messages.Single().Text, StringComparison.Ordinal); // remembered, not re-counted
            Assert.Contains("#4", next.Messages.Single().Text, StringComparison.Ordinal);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Journal_and_snapshot_store_report_healthy()
    {
        using var host = await StartAsync();
        var router = await host.Services.GetRequiredService<IRequiredActor<ConversationRouter>>().GetAsync();
        await router.Ask<EventHandled>(new HandleEvent(Key, 1, "e1", Text("ping")), Timeout);

        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains("persistence"));

        Assert.Equal(2 * ConversationShards.Count, report.Entries.Count);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        await host.StopAsync();
    }

    private long SnapshotCount()
    {
        var file = ConversationShards.FileName(ConversationShards.Of(Key.PersistenceId));
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, file)}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = $id";
        command.Parameters.AddWithValue("$id", Key.PersistenceId);
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    // Snapshot every 2 events: the restart recovers from a snapshot plus events, both through the SQL store.
    private Task<IHost> StartAsync() => ConversationHost.StartAsync(_data.Path, snapshotEvery: 2);
}
