using BotEngine.Conversations;
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
    // IOptions<T>.Value is computed once and never reloaded (options are validated at start), so the settings are too.
    private readonly RetrySettings _settings = RetrySettings.From(options.Value);
    private long _nextDueAt = long.MaxValue;

    /// <summary>Unix ms of the earliest retry scheduled since it was last taken (<see cref="long.MaxValue"/>: none).</summary>
    public long NextDueAt => Interlocked.Read(ref _nextDueAt);

    /// <summary>Forgets <paramref name="due"/> once it was reached, unless an earlier one came in meanwhile.</summary>
    public void Reached(long due) => Interlocked.CompareExchange(ref _nextDueAt, long.MaxValue, due);

    public Task ApplyAsync(QueuedEvent queued, DeliveryResult result, IReadOnlyList<TimerCommand> timers)
    {
        var circuit = circuits.Find(queued.Channel);
        return RecordAsync(queued, RetryPolicy.Decide(result, queued.Attempts, circuit is { IsClosed: false },
            circuit?.RetryAt, _settings, clock.GetUtcNow(), Random.Shared.NextDouble()), timers);
    }

    public Task RetryOrDeadLetterAsync(QueuedEvent queued, TimeSpan? after, string error) => RecordAsync(queued,
        RetryPolicy.AfterFailure(queued.Attempts, after, error, _settings, clock.GetUtcNow(), Random.Shared.NextDouble()), []);

    private Task RecordAsync(QueuedEvent queued, RetryDecision decision, IReadOnlyList<TimerCommand> timers) => decision switch
    {
        RetryDecision.Complete complete => CompleteAsync(queued, complete.Delivered, timers),
        RetryDecision.Retry retry => RetryAsync(queued, retry),
        RetryDecision.Pause pause => PauseAsync(queued, pause),
        RetryDecision.DeadLetter dead => DeadLetterAsync(queued, dead.Error),
        _ => throw new InvalidOperationException($"Unknown decision {decision}"),
    };

    private async Task RetryAsync(QueuedEvent queued, RetryDecision.Retry retry)
    {
        logger.LogWarning("Attempt {Attempt} failed, retrying in {Wait}: {Error}", queued.Attempts,
            retry.DueAt - clock.GetUtcNow(), retry.Error);
        await store.RetryAsync(queued.Id, retry.DueAt, retry.Error, CancellationToken.None);
        metrics.Event(queued.Channel, "retry");
        Due(retry.DueAt);
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
    private async Task PauseAsync(QueuedEvent queued, RetryDecision.Pause pause)
    {
        logger.LogInformation("Not sent, trying again at {DueAt:HH:mm:ss.fff}: {Error}", pause.DueAt, pause.Error);
        await store.PauseAsync(queued.Id, pause.DueAt, pause.Error, CancellationToken.None);
        metrics.Event(queued.Channel, "paused");
        Due(pause.DueAt);
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
