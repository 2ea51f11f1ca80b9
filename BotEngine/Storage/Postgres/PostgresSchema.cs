using BotEngine.Storage.Postgres.Queue;
using Npgsql;

namespace BotEngine.Storage.Postgres;

/// <summary>
/// The one bootstrap of the engine's PostgreSQL database: the queue's tables (<see cref="PgQueueSchema"/>,
/// <see cref="PgBatches.CreateSql"/>) and the journal's (<see cref="PostgresAkkaSchema"/>), created under one session
/// advisory lock, so nodes starting together create them once, and checked against one schema version. Idempotent:
/// the queue host applies it before it registers the node, the journal set-up before the ActorSystem starts
/// (whichever comes first creates the tables; the other finds them).
/// </summary>
internal static class PostgresSchema
{
    public const int Version = 1;

    // queue_schema keeps its name: databases made by earlier builds hold their version there.
    private const string VersionTableSql = "CREATE TABLE IF NOT EXISTS queue_schema (version int NOT NULL);";

    public static async Task ApplyAsync(NpgsqlDataSource source, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await ApplyAsync(connection, ct);
    }

    /// <summary>For the journal's set-up, which runs inside Akka's synchronous configuration callback.</summary>
    public static void Apply(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        ApplyAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await Execute(connection, "SELECT pg_advisory_lock(hashtext('botengine.schema'))", ct);
        try
        {
            await Execute(connection, string.Join('\n',
                VersionTableSql, PgQueueSchema.CreateSql, PgBatches.CreateSql, PostgresAkkaSchema.CreateSql), ct);
            await using var read = new NpgsqlCommand("SELECT max(version) FROM queue_schema", connection);
            var version = await read.ExecuteScalarAsync(ct) is int v ? v : 0;
            if (version > Version)
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL database has schema version {version}; this engine knows up to {Version}. Upgrade the engine.");
            }

            if (version == 0) await Execute(connection, $"INSERT INTO queue_schema (version) VALUES ({Version})", ct);
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(hashtext('botengine.schema'))", CancellationToken.None);
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
