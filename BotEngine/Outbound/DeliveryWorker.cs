using System.Collections.Concurrent;
using BotEngine.Conversations;
using BotEngine.Hosting;
using BotEngine.Operations;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound;

/// <summary>
/// Claims events lane by lane (at most one in flight per conversation), hands each to its conversation, sends the
/// answer and marks the event done only after the platform accepted it. Failures back off durably in the queue.
/// </summary>
internal sealed class DeliveryWorker(
    EventStore store,
    QueueSignals signals,
    IngestActivity ingest,
    IConversations conversations,
    IEnumerable<IChannelDelivery> deliveries,
    IOptions<BotEngineOptions> options,
    TimeProvider clock,
    EngineMetrics metrics,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    private const int ClaimBatch = 256;
    // While webhooks keep arriving: at most this many new events per slice, see IngestActivity.
    private const int BusyClaimBatch = 32;
    private static readonly TimeSpan BusySlice = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<Channels.Channel, IChannelDelivery> _deliveries = deliveries.ToDictionary(d => d.Channel);
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly CancellationTokenSource _abort = new();
    private long _nextDueAt = long.MaxValue;

    public int InFlight => _inFlight.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var capacity = settings.MaxInFlight - _inFlight.Count;
                var limit = Math.Min(capacity, ClaimBatch);
                if (limit > 0 && !await ingest.WaitQuietAsync(BusySlice, stoppingToken))
                {
                    limit = Math.Min(limit, BusyClaimBatch);
                }

                var claimed = limit <= 0 ? [] : await store.ClaimAsync(limit, settings.LeaseDuration, stoppingToken);
                foreach (var queued in claimed)
                {
                    Start(queued);
                }

                if (claimed.Count < limit || limit <= 0)
                {
                    await signals.EventsReady.WaitAsync(UntilNextDue(), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Claiming events failed; retrying");
                await Task.Delay(PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await DrainAsync();
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    // Attempts in flight get a grace period to finish; the rest are cancelled and give their event back.
    private async Task DrainAsync()
    {
        var pending = _inFlight.Values.ToArray();
        logger.LogInformation("Stopping: {Count} events in flight", pending.Length);
        await Task.WhenAll(pending).WaitAsync(ShutdownGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _abort.CancelAsync();
        await Task.WhenAll(_inFlight.Values.ToArray()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Start(QueuedEvent queued)
    {
        var task = Task.Run(() => ProcessGuardedAsync(queued));
        _inFlight[queued.Id] = task;
        task.ContinueWith(_ =>
        {
            _inFlight.TryRemove(queued.Id, out var _);
            signals.EventsReady.Set();
        }, TaskScheduler.Default);
    }

    private TimeSpan UntilNextDue()
    {
        var due = Interlocked.Read(ref _nextDueAt);
        var wait = due == long.MaxValue ? PollInterval
            : TimeSpan.FromMilliseconds(due - clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (wait <= TimeSpan.Zero)
        {
            // Due now: the claim that follows picks it up; forget it unless an earlier one came in meanwhile.
            Interlocked.CompareExchange(ref _nextDueAt, long.MaxValue, due);
            return TimeSpan.Zero;
        }

        return wait < PollInterval ? wait : PollInterval;
    }

    private async Task ProcessGuardedAsync(QueuedEvent queued)
    {
        try
        {
            await ProcessAsync(queued);
        }
#pragma warning disable CA1031 // Even recording the failure failed (disk full?): the lease brings the event back.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Could not record the outcome of event {Id}; its lease will bring it back", queued.Id);
        }
    }

    private async Task ProcessAsync(QueuedEvent queued)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["Conversation"] = queued.Lane,
            ["EventId"] = queued.EventId,
        });
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token);
        // An attempt must end before its lease does, or a second claim could run the same lane twice.
        attempt.CancelAfter(options.Value.LeaseDuration * 0.8);
        try
        {
            if (!_deliveries.TryGetValue(queued.ChannelId, out var delivery))
            {
                await DeadLetterAsync(queued, $"no delivery for channel '{queued.Channel}'");
                return;
            }

            var handled = await conversations.HandleAsync(
                new HandleEvent(queued.Key, queued.Id, queued.EventId, queued.Input), attempt.Token);
            var result = await delivery.DeliverAsync(queued, handled.Messages, attempt.Token);
            await (result switch
            {
                DeliveryResult.Delivered delivered => CompleteAsync(queued, delivered, handled.Timers ?? []),
                DeliveryResult.Retry retry => RetryOrDeadLetterAsync(queued, retry.After, retry.Error),
                DeliveryResult.Failed failed => DeadLetterAsync(queued, failed.Error),
                _ => throw new InvalidOperationException($"Unknown delivery result {result}"),
            });
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            await store.ReleaseAsync(queued.Id, CancellationToken.None);
        }
#pragma warning disable CA1031 // Any failure of one attempt is recorded on its event; the worker goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await RetryOrDeadLetterAsync(queued, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task CompleteAsync(QueuedEvent queued, DeliveryResult.Delivered delivered, IReadOnlyList<TimerCommand> timers)
    {
        await store.CompleteAsync(queued, delivered.Outcome, delivered.Parts, timers, CancellationToken.None);
        if (timers.Count > 0)
        {
            signals.TimersChanged.Set();
        }

        metrics.Event(queued.Channel, "done");
        if (delivered.Parts > 0)
        {
            metrics.Processed(clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(queued.ReceivedAt));
        }
    }

    private async Task RetryOrDeadLetterAsync(QueuedEvent queued, TimeSpan? after, string error)
    {
        var settings = options.Value;
        if (queued.Attempts >= settings.MaxAttempts)
        {
            await DeadLetterAsync(queued, $"gave up after {queued.Attempts} attempts: {error}");
            return;
        }

        var wait = after ?? Backoff.For(queued.Attempts, settings.RetryBaseDelay, settings.RetryMaxDelay, Random.Shared.NextDouble());
        var dueAt = clock.GetUtcNow() + wait;
        logger.LogWarning("Attempt {Attempt} failed, retrying in {Wait}: {Error}", queued.Attempts, wait, error);
        await store.RetryAsync(queued.Id, dueAt, error, CancellationToken.None);
        metrics.Event(queued.Channel, "retry");
        InterlockedMin(ref _nextDueAt, dueAt.ToUnixTimeMilliseconds());
    }

    private async Task DeadLetterAsync(QueuedEvent queued, string error)
    {
        logger.LogError("Event dead-lettered: {Error}", error);
        await store.DeadLetterAsync(queued.Id, error, CancellationToken.None);
        metrics.Event(queued.Channel, "dead");
    }

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
