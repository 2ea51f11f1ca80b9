using BotEngine.Conversations;
using BotEngine.Hosting;
using BotEngine.Operations;
using BotEngine.Outbound.Outage;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound;

/// <summary>
/// Records how a claimed event's attempt ended: done (with its timers), retried with backoff, paused without counting
/// the attempt, or dead-lettered. Tracks the earliest retry due, so the worker wakes up for it.
/// </summary>
internal sealed class EventOutcomes(
    IEventStore store,
    QueueSignals signals,
    IOptions<BotEngineOptions> options,
    TimeProvider clock,
    EngineMetrics metrics,
    PlatformCircuits circuits,
    ILogger<EventOutcomes> logger)
{
    private long _nextDueAt = long.MaxValue;

    /// <summary>Unix ms of the earliest retry scheduled since it was last taken (<see cref="long.MaxValue"/>: none).</summary>
    public long NextDueAt => Interlocked.Read(ref _nextDueAt);

    /// <summary>Forgets <paramref name="due"/> once it was reached, unless an earlier one came in meanwhile.</summary>
    public void Reached(long due) => Interlocked.CompareExchange(ref _nextDueAt, long.MaxValue, due);

    public Task ApplyAsync(QueuedEvent queued, DeliveryResult result, IReadOnlyList<TimerCommand> timers) => result switch
    {
        DeliveryResult.Delivered delivered => CompleteAsync(queued, delivered, timers),
        // A failure that opened (or kept open) its platform's circuit is the outage's, not the event's: not counted.
        DeliveryResult.Retry retry when circuits.Find(queued.Channel) is { IsClosed: false } circuit =>
            PauseAsync(queued, circuit.RetryAt, retry.Error),
        DeliveryResult.Retry retry => RetryOrDeadLetterAsync(queued, retry.After, retry.Error),
        DeliveryResult.Paused paused => PauseAsync(queued, paused.Until, paused.Error),
        DeliveryResult.Failed failed => DeadLetterAsync(queued, failed.Error),
        _ => throw new InvalidOperationException($"Unknown delivery result {result}"),
    };

    public async Task RetryOrDeadLetterAsync(QueuedEvent queued, TimeSpan? after, string error)
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
        Due(dueAt);
    }

    public async Task DeadLetterAsync(QueuedEvent queued, string error)
    {
        logger.LogError("Event dead-lettered: {Error}", error);
        await store.DeadLetterAsync(queued.Id, error, CancellationToken.None);
        metrics.Event(queued.Channel, "dead");
    }

    private async Task CompleteAsync(QueuedEvent queued, DeliveryResult.Delivered delivered, IReadOnlyList<TimerCommand> timers)
    {
        await store.CompleteAsync(queued, delivered.Outcome, delivered.Parts, timers, CancellationToken.None,
            delivered.Uncertain);
        if (timers.Count > 0)
        {
            signals.TimersChanged.Set();
        }

        metrics.Event(queued.Channel, "done");
        if (delivered.Uncertain)
        {
            metrics.Uncertain(queued.Channel);
            logger.LogWarning("Event {EventId} counted as delivered, uncertain: {Outcome}", queued.EventId,
                delivered.Outcome);
        }

        if (delivered.Parts > 0)
        {
            metrics.Processed(clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(queued.ReceivedAt));
        }
    }

    // Nothing was sent: the attempt does not count, so an outage of any length dead-letters nothing.
    private async Task PauseAsync(QueuedEvent queued, DateTimeOffset? until, string error)
    {
        var settings = options.Value;
        var dueAt = until ?? clock.GetUtcNow()
            + Backoff.For(queued.Attempts, settings.RetryBaseDelay, settings.RetryMaxDelay, Random.Shared.NextDouble());
        logger.LogInformation("Not sent, trying again at {DueAt:HH:mm:ss.fff}: {Error}", dueAt, error);
        await store.PauseAsync(queued.Id, dueAt, error, CancellationToken.None);
        metrics.Event(queued.Channel, "paused");
        Due(dueAt);
    }

    private void Due(DateTimeOffset dueAt)
    {
        var value = dueAt.ToUnixTimeMilliseconds();
        var current = Interlocked.Read(ref _nextDueAt);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _nextDueAt, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
