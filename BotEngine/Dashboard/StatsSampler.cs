using Akka.Actor;
using Akka.Hosting;
using BotEngine.Conversations;
using BotEngine.Operations;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Dashboard;

/// <summary>
/// Every <see cref="DashboardOptions.SampleInterval"/>: reads the engine's counters (no work on the hot path), the
/// queue's depth by state (one grouped count on a reader connection) and the live conversations (one message to the
/// router), and adds a <see cref="StatsSample"/> to the <see cref="StatsHistory"/>.
/// </summary>
internal sealed partial class StatsSampler(
    EngineMetrics metrics,
    IEventStore events,
    IRequiredActor<ConversationRouter> router,
    StatsHistory history,
    TimeProvider clock,
    IOptions<DashboardOptions> options,
    ILogger<StatsSampler> logger) : BackgroundService
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = MetricsReading.Take(metrics, clock.GetUtcNow());
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var current = MetricsReading.Take(metrics, clock.GetUtcNow());
                var depth = await ReadDepthAsync(stoppingToken);
                history.Add(current.Since(previous, depth, await CountConversationsAsync(stoppingToken),
                    metrics.ProcessingBuckets));
                previous = current;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task<IReadOnlyDictionary<EventState, long>> ReadDepthAsync(CancellationToken ct)
    {
        try
        {
            return await events.CountByStateAsync(ct);
        }
#pragma warning disable CA1031 // A busy or full disk must not stop the dashboard (nor the host): the point shows zeros.
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogSampleFailed(ex, "the queue depth");
            return new Dictionary<EventState, long>();
        }
    }

    private async Task<int?> CountConversationsAsync(CancellationToken ct)
    {
        try
        {
            var actor = await router.GetAsync(ct);
            return (await actor.Ask<ConversationStats>(GetConversationStats.Instance, AskTimeout, ct)).Live;
        }
        catch (AskTimeoutException)
        {
            return null; // the router is busy: a gap in the chart
        }
#pragma warning disable CA1031 // The actor system stopping first must not stop the host: a gap in the chart.
        catch (Exception ex) when (!ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogSampleFailed(ex, "the live conversations");
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard sampler could not read {What}")]
    private partial void LogSampleFailed(Exception exception, string what);
}
