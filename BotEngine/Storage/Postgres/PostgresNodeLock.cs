using BotEngine.Cluster;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BotEngine.Storage.Postgres;

/// <summary>
/// Storage=Postgres: one database serves one single-node engine or the nodes of one cluster, never two single nodes
/// and never both kinds. Two engines outside one cluster would each run the same conversation (its journal written
/// from two places, its answers sent twice). A single node holds PostgreSQL's exclusive session-level advisory lock
/// for as long as it runs, a cluster node the shared one; a start that cannot take its lock within 10 s refuses (one
/// line, exit code 1). The lock lives with its session, on a connection outside the pools: a node stopped by
/// <c>kill -9</c> frees it when the server sees its connection close.
/// </summary>
internal sealed class PostgresNodeLock(
    IOptions<StorageOptions> storage, IOptions<ClusterModeOptions> cluster, TimeProvider clock) : IHostedService, IAsyncDisposable
{
    /// <summary>The advisory lock's key: "BotEngin" in ASCII.</summary>
    public const long Key = 0x426f74456e67696e;

    /// <summary>Connections the lock holds for the node's whole life, outside the pools (counted in
    /// <see cref="PostgresServerCheck.PerNode"/>).</summary>
    public const int Sessions = 1;

    // A restart right after a kill -9 may find the old session not yet closed by the server.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(250);

    private NpgsqlConnection? _session;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres) return;
        var connectionString = new NpgsqlConnectionStringBuilder(storage.Value.PostgresConnectionString) {
            Pooling = false,
            ApplicationName = "botengine-lock", // pg_stat_activity tells it from the pools' connections
        };
        var session = new NpgsqlConnection(connectionString.ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            var take = cluster.Value.Enabled ? "SELECT pg_try_advisory_lock_shared(@key)" : "SELECT pg_try_advisory_lock(@key)";
            var deadline = clock.GetUtcNow() + Patience;
            while (true)
            {
                await using (var command = new NpgsqlCommand(take, session))
                {
                    command.Parameters.AddWithValue("key", Key);
                    if (await command.ExecuteScalarAsync(cancellationToken) is true)
                    {
                        _session = session;
                        return;
                    }
                }

                if (clock.GetUtcNow() >= deadline) break;
                await Task.Delay(Retry, clock, cancellationToken);
            }
        }
        catch
        {
            await session.DisposeAsync(); // unpooled: a failed open or query would leave it open until the process ends
            throw;
        }

        await session.DisposeAsync();
        throw new InvalidOperationException(cluster.Value.Enabled
            ? "a single-node engine (BotEngine:Cluster off) uses this PostgreSQL database; stop it before cluster nodes use it"
            : "another engine uses this PostgreSQL database: two engines outside one cluster would run the same "
              + "conversations side by side; stop the other one, or run every node in cluster mode (BotEngine:Cluster)");
    }

    // Registered before the queue: stopped after it, so the lock is held until the queue has stopped.
    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_session is null) return;
        await _session.DisposeAsync();
        _session = null;
    }
}
