using BotEngine.Storage.Postgres;
using BotEngine.Tests.Support;
using Dapper;
using Npgsql;

namespace BotEngine.Tests.Storage.Postgres;

/// <summary>The one bootstrap of the PostgreSQL database: the queue's and the journal's tables, one version.</summary>
public sealed class PostgresSchemaTests
{
    [PostgresFact]
    public async Task Nodes_and_the_journal_set_up_starting_together_create_every_table_once()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var source = NpgsqlDataSource.Create(database);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? PostgresSchema.ApplyAsync(source, CancellationToken.None)
            : Task.Run(() => PostgresSchema.Apply(database))));

        await using var connection = await source.OpenConnectionAsync();
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Superset(new HashSet<string> { "bodies", "events", "lanes", "nodes", "timers", "batches", "journal", "tags", "snapshot" },
            tables.ToHashSet());
        Assert.Equal([PostgresSchema.Version], await connection.QueryAsync<int>("SELECT version FROM queue_schema"));
    }

    [PostgresFact]
    public async Task A_database_of_a_newer_engine_is_refused()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using var source = NpgsqlDataSource.Create(database);
        await PostgresSchema.ApplyAsync(source, CancellationToken.None);
        await using (var connection = await source.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE queue_schema SET version = @Newer", new { Newer = PostgresSchema.Version + 1 });
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchema.ApplyAsync(source, CancellationToken.None));
        Assert.Contains($"schema version {PostgresSchema.Version + 1}", refused.Message, StringComparison.Ordinal);
    }
}
