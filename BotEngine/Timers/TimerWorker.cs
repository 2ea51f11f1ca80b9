using BotEngine.Queue;

namespace BotEngine.Timers;

/// <summary>
/// Fires durable timers: moves every due timer into its conversation's lane (one transaction per batch), wakes the
/// delivery worker, then sleeps until the next due time (at most <see cref="MaxSleep"/>, or until a timer is set).
/// Timers that fell due while the engine was down fire on the first pass after start-up.
/// </summary>
internal sealed class TimerWorker(
    ITimerStore timers, QueueSignals signals, TimeProvider clock, ILogger<TimerWorker> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Only a due timer costs a write; otherwise this is one indexed read a second at most.
                var wait = await UntilNextDueAsync(stoppingToken);
                if (wait > TimeSpan.Zero)
                {
                    await signals.TimersChanged.WaitAsync(wait, stoppingToken);
                    continue;
                }

                var moved = await timers.MoveDueAsync(BatchSize, stoppingToken);
                if (moved == 0)
                {
                    // Due by the read, gone by the write (cancelled meanwhile): no reason to spin.
                    await signals.TimersChanged.WaitAsync(MaxSleep, stoppingToken);
                    continue;
                }

                logger.LogDebug("{Count} timers fired", moved);
                signals.EventsReady.Set();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Firing due timers failed; retrying");
                await Task.Delay(MaxSleep, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken ct)
    {
        if (await timers.NextDueAtAsync(ct) is not { } due)
        {
            return MaxSleep;
        }

        var wait = TimeSpan.FromMilliseconds(due - clock.GetUtcNow().ToUnixTimeMilliseconds());
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < MaxSleep ? wait : MaxSleep;
    }
}
