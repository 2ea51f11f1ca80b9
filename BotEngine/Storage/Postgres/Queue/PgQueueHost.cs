using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// Storage=Postgres: creates the queue's tables, registers this node, releases its previous run's claims, then keeps
/// heart-beating (every NodeTimeout / 5, its own loop), reaps dead claims (every second) and purges old rows (every 5 minutes);
/// stops last (registered right after the SQLite queue host), flushing appends and removing its node row.
/// </summary>
internal sealed class PgQueueHost(
    IServiceProvider services, IOptions<StorageOptions> storage, IOptions<BotEngineOptions> engine, TimeProvider clock,
    ILogger<PgQueueHost> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan ReapEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(5);
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
        await PgQueueSchema.ApplyAsync(_database.Source, cancellationToken);
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

    // Its own loop, so a slow reap or purge never delays it: a late heartbeat lets other nodes take live claims.
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
        var lastPurge = clock.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ReapEvery, clock, ct);
                var freed = await lease.ReapAsync(ct);
                if (freed > 0) logger.LogWarning("{Count} lanes of a stopped node (heartbeat or lease ran out) are free again", freed);
                if (clock.GetUtcNow() - lastPurge >= PurgeEvery)
                {
                    await PurgeAsync(ct);
                    lastPurge = clock.GetUtcNow();
                }

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

    // The SQLite purge's cutoffs, in chunks with SKIP LOCKED so several nodes share the work.
    private async Task PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var cutoff = now - (long)engine.Value.Retention.TotalMilliseconds;
        var deadCutoff = now - (long)engine.Value.DeadLetterRetention.TotalMilliseconds;
        await using var connection = await _database.OpenAsync(ct);
        foreach (var sql in new[]
        {
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE state = 2 AND done_at < @Cutoff LIMIT 1000 FOR UPDATE SKIP LOCKED)",
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE state = 3 AND GREATEST(received_at, due_at) < @DeadCutoff LIMIT 1000 FOR UPDATE SKIP LOCKED)",
            """
            DELETE FROM bodies WHERE id IN (SELECT b.id FROM bodies b WHERE b.received_at < @Cutoff AND b.split
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.body_id = b.id AND e.state <> 2) LIMIT 100 FOR UPDATE SKIP LOCKED)
            """,
            """
            DELETE FROM lanes WHERE lane IN (SELECT lane FROM lanes l WHERE head_id IS NULL AND claim_token IS NULL
                AND touched_at < @Cutoff AND NOT EXISTS (SELECT 1 FROM timers t WHERE t.lane = l.lane) LIMIT 1000 FOR UPDATE SKIP LOCKED)
            """,
            // Multicast batches no event points at any more (the SQLite purge's BatchesSql).
            """
            DELETE FROM batches WHERE id IN (SELECT b.id FROM batches b WHERE b.created_at < @Cutoff
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.batch_id = b.id) LIMIT 1000 FOR UPDATE SKIP LOCKED)
            """,
            "DELETE FROM nodes WHERE heartbeat_at < @GoneNodes", // a node silent for a day is gone (its lanes were reaped)
        })
        {
            while (await connection.ExecuteAsync(new CommandDefinition(sql, new { Cutoff = cutoff, DeadCutoff = deadCutoff, GoneNodes = now - (long)TimeSpan.FromDays(1).TotalMilliseconds }, cancellationToken: ct)) > 0)
            {
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
