namespace BotEngine.Operations;

/// <summary>
/// Hooks the gauges read at scrape time (queue depth, storage) into the registry when the engine starts, before
/// Kestrel takes the first scrape; at start rather than while mapping, so that a bad setting those readers need is
/// reported by <see cref="StartupFailure"/>.
/// </summary>
internal sealed class MetricsCollectors(QueueDepthCollector depth, StorageMetrics storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        depth.Register();
        storage.Register();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
