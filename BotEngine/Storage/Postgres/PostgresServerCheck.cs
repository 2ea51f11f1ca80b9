using BotEngine.Cluster;
using BotEngine.Storage.Postgres.Queue;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotEngine.Storage.Postgres;

/// <summary>
/// Storage=Postgres, at start: refuses a server whose settings break the engine's promises, before any webhook is
/// taken. <c>synchronous_commit = off</c> acknowledges a commit before it is durable, so a webhook answered 200 could
/// vanish in a database crash: refused. Fewer connections than one node holds (queue and journal pools, node lock):
/// refused, a busy node would fail with "too many clients". Fewer than every node's (cluster mode: the seed nodes
/// listed): a warning, the nodes work until load makes them all open their pools at once.
/// </summary>
internal sealed class PostgresServerCheck(
    IOptions<StorageOptions> storage, IOptions<ClusterModeOptions> cluster, ILogger<PostgresServerCheck> log) : IHostedService
{
    /// <summary>Connections one node may hold at once: the queue's pool, the journal's, and the one session of its
    /// <see cref="PostgresNodeLock"/>, open for the node's whole life.</summary>
    public const int PerNode = PgQueueDatabase.PoolSize + PostgresJournals.PoolSize + PostgresNodeLock.Sessions;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres) return;
        var nodes = cluster.Value.Enabled ? Math.Max(1, cluster.Value.SeedNodes.Count) : 1;
        var settings = await ReadAsync(storage.Value.PostgresConnectionString!, cancellationToken);
        var (refusal, warning) = Judge(settings, nodes);
        if (refusal is not null) throw new InvalidOperationException(refusal);
        if (warning is not null) log.LogWarning("{Warning}", warning);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What this engine's sessions see: server, database and role settings, and the connection limits.</summary>
    public static async Task<ServerSettings> ReadAsync(string connectionString, CancellationToken ct)
    {
        // Outside the pools: a pooled connection would stay open, uncounted, for minutes after this one query.
        var once = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(once.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT current_setting('synchronous_commit'),
                   current_setting('max_connections')::int
                     - current_setting('superuser_reserved_connections')::int
                     - coalesce(current_setting('reserved_connections', true)::int, 0),
                   (SELECT datconnlimit FROM pg_database WHERE datname = current_database()),
                   (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new ServerSettings(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
    }

    /// <summary>Why the engine must not start on this server, or what the operator should know; both null when fine.</summary>
    public static (string? Refusal, string? Warning) Judge(ServerSettings settings, int nodes)
    {
        if (settings.SynchronousCommit == "off")
        {
            return ("PostgreSQL has synchronous_commit = off for this database: a commit is acknowledged before it is durable, "
                + "so a webhook answered 200 could be lost in a database crash; set synchronous_commit = on "
                + "(postgresql.conf, ALTER DATABASE … SET or ALTER ROLE … SET)", null);
        }

        var available = settings.Available;
        var limit = $"PostgreSQL allows {available} connections here (max_connections less reserved slots, or the "
            + "database's or role's CONNECTION LIMIT)";
        if (available < PerNode)
        {
            return ($"{limit}, but one engine node opens up to {PerNode} ({PgQueueDatabase.PoolSize} for the queue, "
                + $"{PostgresJournals.PoolSize} for the journal, {PostgresNodeLock.Sessions} for the node lock); "
                + $"raise it to at least {PerNode} per node", null);
        }

        return available < nodes * PerNode
            ? (null, $"{limit}, but {nodes} nodes open up to {nodes * PerNode} ({PerNode} each): under load some would "
                + $"fail with \"too many clients\"; raise max_connections to at least {nodes * PerNode}")
            : (null, null);
    }
}

/// <summary>The server settings <see cref="PostgresServerCheck"/> judges; a connection limit of -1 means none.</summary>
internal sealed record ServerSettings(string SynchronousCommit, int ServerSlots, int DatabaseLimit, int RoleLimit)
{
    public int Available => new[] { ServerSlots, DatabaseLimit, RoleLimit }.Where(l => l >= 0).Min();
}
