using System.Security.Cryptography;
using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The queue's connection pool (named <c>botengine-queue</c> in <c>pg_stat_activity</c>) and this process's identity
/// in the <c>nodes</c> table: the node name plus a random incarnation, so a restarted node can release the claims of
/// its previous run at once while never touching another live node's.
/// </summary>
internal sealed class PgQueueDatabase : IAsyncDisposable
{
    /// <summary>Connections this node's queue may open (PostgresServerCheck sums the pools against max_connections).</summary>
    public const int PoolSize = 20;

    public PgQueueDatabase(string connectionString, string nodeName)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = "botengine-queue",
            MaxPoolSize = PoolSize,
        };
        Source = NpgsqlDataSource.Create(builder);
        NodeName = nodeName;
        Incarnation = $"{nodeName}/{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
    }

    public NpgsqlDataSource Source { get; }

    /// <summary>Stable across restarts of this node (<c>BotEngine:Cluster:NodeName</c>, else the machine name).</summary>
    public string NodeName { get; }

    /// <summary>This run of the node: the value of <c>lanes.claimed_by</c> for every claim it holds.</summary>
    public string Incarnation { get; }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct) => Source.OpenConnectionAsync(ct);

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
