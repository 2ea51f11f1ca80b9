using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>Reads the month's quota every <see cref="LineOptions.QuotaCheckInterval"/>, and at once after a quota 429.</summary>
internal sealed class LineQuotaWorker(
    LineQuotaClient api, LineQuota quota, IOptions<LineOptions> options, ILogger<LineQuotaWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.CanCallApi)
        {
            // LINE is off: nothing to read. Idle instead of ending: /healthz reports a finished worker as stopped.
            await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var reading = await api.ReadQuotaAsync(stoppingToken);
                if (reading.Read)
                {
                    quota.Update(reading);
                }
                else
                {
                    logger.LogWarning("Could not read the LINE message quota: {Error}", reading.Error);
                }

                await quota.ReadNow.WaitAsync(quota.UntilNextRead(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
