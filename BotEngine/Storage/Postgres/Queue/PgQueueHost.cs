using Microsoft.Extensions.Options;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// Storage=Postgres: creates the queue's tables, registers this node, releases its previous run's claims, then keeps
/// heart-beating (every NodeTimeout / 5, its own loop) and reaps dead claims (every second); old rows are purged by
/// <see cref="BotEngine.Queue.PurgeWorker"/>, as in SQLite mode. Stops last (registered right after the SQLite queue
/// host), flushing appends and removing its node row.
/// </summary>
internal sealed class PgQueueHost(
    IServiceProvider services, IOptions<StorageOptions> storage, TimeProvider clock,
    ILogger<PgQueueHost> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan ReapEvery = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private PgNodeLease? _lease;
    private Task _loop = Task.CompletedTask;

    private PgQueueDatabase _database = null!;
    private PgHealth _health = null!;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres) return; // SQLite mode: nothing of PostgreSQL is created
        _database = services.GetRequiredService<PgQueueDatabase>();
        _health = services.GetRequiredService<PgHealth>();
        var events = services.GetRequiredService<PgEventStore>();
        await PostgresSchema.ApplyAsync(_database.Source, cancellationToken);
        _lease = new PgNodeLease(_database, clock, storage.Value.NodeTimeout);
        await _lease.RegisterAsync(cancellationToken);
        var released = await events.ReleaseAllAsync(cancellationToken);
        logger.LogInformation("Queue on PostgreSQL as {Incarnation}; {Count} lanes of this node's previous run released",
            _database.Incarnation, released);
        var lease = _lease;
        _loop = Task.WhenAll(
            Task.Run(() => BeatAsync(lease, _stop.Token), CancellationToken.None),
            Task.Run(() => RunAsync(lease, _stop.Token), CancellationToken.None));
    }

    // Its own loop, so a slow reap never delays it: a late heartbeat lets other nodes take live claims.
    private async Task BeatAsync(PgNodeLease lease, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(storage.Value.NodeTimeout / 5, clock, ct);
                await lease.HeartbeatAsync(ct);
                _health.Succeeded(PgHealth.Heartbeat);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Npgsql.NpgsqlException e)
            {
                _health.Failed(PgHealth.Heartbeat, e);
                logger.LogWarning("Queue heartbeat on PostgreSQL failed: {Error}", e.Message);
            }
        }
    }

    private async Task RunAsync(PgNodeLease lease, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReapEvery, clock, ct);
                var freed = await lease.ReapAsync(ct);
                if (freed > 0) logger.LogWarning("{Count} lanes of a stopped node (heartbeat or lease ran out) are free again", freed);
                _health.Succeeded(PgHealth.Upkeep);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Npgsql.NpgsqlException e)
            {
                _health.Failed(PgHealth.Upkeep, e);
                logger.LogWarning("Queue upkeep on PostgreSQL failed: {Error}", e.Message);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Once (a host may be stopped again when disposed); the data source itself is the container's to dispose.
        if (_lease is not { } lease || Interlocked.Exchange(ref _lease, null) is null) return;
        await _stop.CancelAsync();
        await _loop;
        await services.GetRequiredService<PgAppendWriter>().DisposeAsync();
        await lease.UnregisterAsync(cancellationToken);
    }

    public void Dispose() => _stop.Dispose();
}
