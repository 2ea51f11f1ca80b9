using BotEngine.Channels;
using BotEngine.Operations;

namespace BotEngine.Queue;

/// <summary>
/// Turns stored bodies into event rows: parse, deduplicate on (channel, event id), insert and mark the body split in
/// one transaction. A crash between two batches only repeats a split, which the unique index makes harmless.
/// </summary>
internal sealed class SplitterWorker(
    IInboxStore inbox, ChannelSet channels, QueueSignals signals, IngestActivity ingest, EngineMetrics metrics, ILogger<SplitterWorker> logger)
    : BackgroundService
{
    private const int BatchSize = 64;
    // While webhooks keep arriving: this many bodies per slice (up to 400 events of 70 KB bodies), see IngestActivity.
    private const int BusyBatchSize = 4;
    private static readonly TimeSpan BusySlice = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long after = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await ingest.WaitQuietAsync(BusySlice, stoppingToken) ? BatchSize : BusyBatchSize;
                var bodies = await inbox.ReadUnsplitAsync(after, batch, stoppingToken);
                if (bodies.Count == 0)
                {
                    after = 0;
                    await signals.BodiesStored.WaitAsync(PollInterval, stoppingToken);
                    continue;
                }

                var split = bodies.Select(body => (body, channels.Parse(body.Channel, body.Body))).ToList();
                // One write item per body: the writer's batch limits then keep a burst of 70 KB bodies (100 events
                // each) from holding the file while webhook appends wait behind thousands of inserts.
                var counts = (await Task.WhenAll(split.Select(one => inbox.StoreSplitAsync([one], stoppingToken))))
                    .SelectMany(c => c).ToList();
                after = bodies[^1].Id;
                metrics.EventsSplit(counts);
                if (counts.Any(c => c.Added > 0))
                {
                    signals.EventsReady.Set();
                }

                var malformed = counts.Sum(c => c.Malformed);
                if (malformed > 0)
                {
                    logger.LogWarning("{Count} malformed events dead-lettered", malformed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Splitting stored bodies failed; retrying");
                after = 0;
                await Task.Delay(PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
