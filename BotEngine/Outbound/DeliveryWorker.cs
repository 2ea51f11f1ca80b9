using System.Collections.Concurrent;
using BotEngine.Conversations;
using BotEngine.Outbound.Outage;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound;

/// <summary>
/// Claims events lane by lane (at most one in flight per conversation), hands each to its conversation, sends the
/// answer and marks the event done only after the platform accepted it. Failures back off durably in the queue.
/// A platform whose API is unreachable is paused: none of its events is claimed, but one now and then to probe it.
/// </summary>
internal sealed class DeliveryWorker(
    IEventStore store,
    QueueSignals signals,
    IngestActivity ingest,
    IConversations conversations,
    IEnumerable<IChannelDelivery> deliveries,
    EventOutcomes outcomes,
    PlatformCircuits circuits,
    DeliveryLoad load,
    IOptions<BotEngineOptions> options,
    TimeProvider clock,
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
    // Events the send planner holds: their lanes stay claimed, but they take no slot of MaxInFlight.
    private readonly ConcurrentDictionary<long, (QueuedEvent Event, Task Done)> _handed = new();
    private readonly CancellationTokenSource _abort = new();

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

                var claimed = limit <= 0 ? [] : await ClaimAsync(limit, settings.LeaseDuration, stoppingToken);
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

    // Paused platforms' events stay where they are; a paused platform whose break is over gets one probe.
    private async Task<IReadOnlyList<QueuedEvent>> ClaimAsync(int capacity, TimeSpan lease, CancellationToken ct)
    {
        var paused = circuits.All.Where(c => !c.IsClosed).ToList();
        if (paused.Count == 0) return await store.ClaimAsync(capacity, lease, ct);

        var claimed = (await store.ClaimAsync(capacity, lease, ct, paused.Select(c => c.Channel).ToList())).ToList();
        foreach (var circuit in paused)
        {
            if (claimed.Count < capacity && circuit.ClaimLimit(1) == 1)
            {
                claimed.AddRange(await store.ClaimAsync(1, lease, ct, only: circuit.Channel));
            }
        }

        return claimed;
    }

    // Attempts in flight get a grace period to finish; the rest are cancelled and give their event back.
    private async Task DrainAsync()
    {
        var pending = _inFlight.Values.Concat(_handed.Values.Select(h => h.Done)).ToArray();
        logger.LogInformation("Stopping: {Count} events in flight", pending.Length);
        await Task.WhenAll(pending).WaitAsync(ShutdownGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _abort.CancelAsync();
        await Task.WhenAll(_inFlight.Values.ToArray()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var (id, _) in _handed)
        {
            // Still waiting in the planner: back to the queue untouched. A batch stored meanwhile is sent again
            // under its own retry key after the restart, so LINE delivers it once.
            await ((Task)store.ReleaseAsync(id, CancellationToken.None)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Start(QueuedEvent queued)
    {
        load.Started();
        var task = Task.Run(() => ProcessGuardedAsync(queued));
        _inFlight[queued.Id] = task;
        task.ContinueWith(_ =>
        {
            _inFlight.TryRemove(queued.Id, out var _);
            load.Finished();
            signals.EventsReady.Set();
        }, TaskScheduler.Default);
    }

    private TimeSpan UntilNextDue()
    {
        var due = outcomes.NextDueAt;
        var wait = due == long.MaxValue ? PollInterval
            : TimeSpan.FromMilliseconds(due - clock.GetUtcNow().ToUnixTimeMilliseconds());
        if (wait <= TimeSpan.Zero)
        {
            outcomes.Reached(due); // due now: the claim that follows picks it up
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
                await outcomes.DeadLetterAsync(queued, $"no delivery for channel '{queued.Channel}'");
                return;
            }

            var handled = await conversations.HandleAsync(
                new HandleEvent(queued.Key, queued.Id, queued.EventId, queued.Input), attempt.Token);
            var timers = handled.Timers ?? [];
            var result = await delivery.DeliverAsync(queued, handled.Messages, attempt.Token);
            if (result is DeliveryResult.Handed handed)
            {
                Hand(queued, handed.Result, timers);
                return;
            }

            await outcomes.ApplyAsync(queued, result, timers);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            await store.ReleaseAsync(queued.Id, CancellationToken.None);
        }
        catch (ConversationUnreadableException ex)
        {
            await outcomes.DeadLetterAsync(queued, ex.Message); // permanent until reset: retrying would only wait
        }
#pragma warning disable CA1031 // Any failure of one attempt is recorded on its event; the worker goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await outcomes.RetryOrDeadLetterAsync(queued, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private void Hand(QueuedEvent queued, Task<DeliveryResult> result, IReadOnlyList<TimerCommand> timers)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _handed[queued.Id] = (queued, done.Task);
        _ = result.ContinueWith(async finished =>
        {
            try
            {
                var outcome = finished.IsCompletedSuccessfully ? finished.Result
                    : new DeliveryResult.Retry(null, finished.Exception?.GetBaseException().Message ?? "canceled");
                if (!_abort.IsCancellationRequested) // else the drain gave the event back
                {
                    await outcomes.ApplyAsync(queued, outcome, timers);
                }
            }
#pragma warning disable CA1031 // As in ProcessGuardedAsync: the lease brings the event back.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Could not record the outcome of event {Id}; its lease will bring it back", queued.Id);
            }
            finally
            {
                _handed.TryRemove(queued.Id, out var _);
                done.TrySetResult();
                signals.EventsReady.Set();
            }
        }, TaskScheduler.Default);
    }
}
