using BotEngine.Queue;

namespace BotEngine.Operations;

/// <summary>Reads the queue's depth by state just before each scrape, so the gauges cost nothing between scrapes.</summary>
internal sealed class QueueDepthCollector(IEventStore events, EngineMetrics metrics, ILogger<QueueDepthCollector> logger)
{
    private static readonly string[] States = ["pending", "claimed", "done", "dead"];

    public void Register() => metrics.Registry.AddBeforeCollectCallback(CollectAsync);

    private async Task CollectAsync(CancellationToken ct)
    {
        try
        {
            var counts = await events.CountByStateAsync(ct);
            for (var state = 0; state < States.Length; state++)
            {
                metrics.QueueDepth.WithLabels(States[state]).Set(counts.GetValueOrDefault((EventState)state));
            }

            metrics.DeadLetters.Set(counts.GetValueOrDefault(EventState.Dead));
        }
#pragma warning disable CA1031 // A scrape must not fail because the file is busy; the last values stay.
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not read the queue depth");
        }
    }
}
