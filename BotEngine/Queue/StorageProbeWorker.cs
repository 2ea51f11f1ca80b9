using BotEngine.Storage;
using BotEngine.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace BotEngine.Queue;

/// <summary>
/// While commits fail (disk full, I/O error), tries a small write every second, so the engine turns healthy again
/// by itself once space returns, without waiting for the next webhook. Idle otherwise. SQLite mode only: with
/// Storage=Postgres nothing writes to queue.db (the PostgreSQL queue's heartbeat and upkeep loops report their own
/// health each time they run; the appends' health is set by the next webhook append).
/// </summary>
internal sealed class StorageProbeWorker(
    SqliteWriter writer, IOptions<StorageOptions> storage, TimeProvider clock, ILogger<StorageProbeWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Allocates pages (a 16 KB blob) and frees them in the same item: a change that needs space, leaving no row.
    private const string ProbeSql = """
        INSERT INTO bodies (channel, received_at, body, split) VALUES ('probe', 0, zeroblob(16384), 1);
        DELETE FROM bodies WHERE id = last_insert_rowid();
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            if (storage.Value.IsPostgres)
            {
                // Nothing to probe; it waits for the stop, since a finished worker reads as stopped on /healthz.
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (writer.LastError is null || writer.Stopped.IsCompleted)
                {
                    continue;
                }

                try
                {
                    await writer.ExecuteAsync(context => context.Command(ProbeSql).ExecuteNonQuery(), 0, stoppingToken);
                    logger.LogWarning("Queue writes commit again");
                }
#pragma warning disable CA1031 // Still failing: the writer keeps the error for /healthz; try again next tick.
                catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    logger.LogDebug("Storage probe failed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
