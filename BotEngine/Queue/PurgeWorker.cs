using Microsoft.Extensions.Options;

namespace BotEngine.Queue;

/// <summary>
/// Keeps the queue from growing without bound, in either storage mode (the statements are the mode's
/// <see cref="IQueuePurge"/>): one minute after start, then every 5 minutes, deletes done events older than
/// <see cref="BotEngineOptions.Retention"/> (they are the deduplication memory, so at least 24 h), dead events older
/// than <see cref="BotEngineOptions.DeadLetterRetention"/>, split bodies older than the retention none of whose
/// events is still open or dead, and multicast batches no event points at.
/// </summary>
internal sealed class PurgeWorker(
    IQueuePurge purge, IOptions<BotEngineOptions> options, TimeProvider clock, ILogger<PurgeWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPass = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstPass, clock, stoppingToken);
            using var timer = new PeriodicTimer(Interval, clock);
            do
            {
                await PassAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a pass cut short leaves nothing half done, every chunk is its own transaction.
        }
    }

    /// <summary>One pass with the cutoffs of now.</summary>
    public Task<PurgeResult> PurgeOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        return purge.PurgeAsync(new PurgeCutoffs(now.ToUnixTimeMilliseconds(),
            (now - settings.Retention).ToUnixTimeMilliseconds(), (now - settings.DeadLetterRetention).ToUnixTimeMilliseconds()), ct);
    }

    private async Task PassAsync(CancellationToken ct)
    {
        try
        {
            var result = await PurgeOnceAsync(ct);
            var level = result.DoneEvents + result.DeadEvents + result.Bodies > 0 ? LogLevel.Information : LogLevel.Debug;
            logger.Log(level, "Purged {DoneEvents} done events, {DeadEvents} dead events, {Bodies} bodies; WAL truncated: {WalTruncated}",
                result.DoneEvents, result.DeadEvents, result.Bodies, result.WalTruncated?.ToString() ?? "n/a");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed pass (disk full, busy, database unreachable) is tried again at the next interval.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Purging old queue rows failed; trying again in {Interval}", Interval);
        }
    }
}
