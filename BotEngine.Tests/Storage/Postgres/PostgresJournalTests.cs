using BotEngine.Channels.Line;
using BotEngine.Conversations;
using BotEngine.Conversations.Persistence.Format;
using BotEngine.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static BotEngine.Tests.Conversations.ConversationStateTests;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>Storage=Postgres: conversations journal and snapshot into PostgreSQL with the project's serializer.</summary>
public sealed class PostgresJournalTests : IAsyncLifetime
{
    private static readonly ConversationKey Key = new(LineChannel.Id, "Upg1");
    private string _database = "";

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [PostgresFact]
    public async Task State_lives_in_the_database_not_in_the_data_folder()
    {
        using var firstFolder = new TempDirectory();
        using (var host = await StartAsync(firstFolder.Path))
        {
            for (var i = 1; i <= 3; i++)
            {
                var handled = await host.HandleAsync(new HandleEvent(Key, i, $"e{i}", Text("count")));
                Assert.Contains($"#{i}", handled.Messages.Single().Text, StringComparison.Ordinal);
            }

            await host.StopAsync();
        }

        Assert.Empty(Directory.EnumerateFiles(firstFolder.Path, "conversations-*.db"));
        // Another node (another data folder) on the same database continues the count.
        using var secondFolder = new TempDirectory();
        using (var host = await StartAsync(secondFolder.Path))
        {
            var again = await host.HandleAsync(new HandleEvent(Key, 3, "e3", Text("count")));
            var next = await host.HandleAsync(new HandleEvent(Key, 4, "e4", Text("count")));
            Assert.Contains("#3", again.Messages.Single().Text, StringComparison.Ordinal); // remembered, not re-counted
            Assert.Contains("#4", next.Messages.Single().Text, StringComparison.Ordinal);
            await host.StopAsync();
        }

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var journal = new NpgsqlCommand(
            // Events up to a snapshot are deleted after it (Akka keeps the highest row), so the highest sequence number counts.
            "SELECT max(sequence_number), min(identifier), max(identifier), count(*) FILTER (WHERE manifest = '') FROM journal WHERE persistence_id = $1",
            connection) { Parameters = { new() { Value = Key.PersistenceId } } };
        await using var reader = await journal.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(4L, reader.GetInt64(0));
        Assert.Equal(ConversationSerializer.Id, reader.GetInt32(1));
        Assert.Equal(ConversationSerializer.Id, reader.GetInt32(2));
        Assert.Equal(0L, reader.GetInt64(3));
        await reader.CloseAsync();
        await using var snapshots = new NpgsqlCommand(
            "SELECT count(*) FROM snapshot WHERE persistence_id = $1 AND serializer_id = $2", connection)
        {
            Parameters = { new() { Value = Key.PersistenceId }, new() { Value = ConversationSerializer.Id } },
        };
        Assert.True((long)(await snapshots.ExecuteScalarAsync())! >= 1, "a snapshot every 2 events, in the project's format");
    }

    [PostgresFact]
    public async Task Journal_and_snapshot_store_report_healthy()
    {
        using var folder = new TempDirectory();
        using var host = await StartAsync(folder.Path);
        await host.HandleAsync(new HandleEvent(Key, 1, "e1", Text("ping")));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("persistence"));

        Assert.Equal(8, report.Entries.Count);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_refuses_to_start()
    {
        using var folder = new TempDirectory();
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            ConversationHost.StartAsync(folder.Path, settings: new Dictionary<string, string?> { ["BotEngine:Storage"] = "Postgres" }));
        Assert.Contains("ConnectionStrings:Postgres is empty", error.Message, StringComparison.Ordinal);
    }

    private Task<IHost> StartAsync(string folder) => ConversationHost.StartAsync(folder, snapshotEvery: 2,
        settings: new Dictionary<string, string?> { ["BotEngine:Storage"] = "Postgres", ["ConnectionStrings:Postgres"] = _database });
}
