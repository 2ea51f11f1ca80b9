using BotEngine.Queue;

namespace BotEngine.Outbound;

/// <summary>What to do with a claimed event after one attempt; <see cref="RetryPolicy"/> decides, the worker records.</summary>
internal abstract record RetryDecision
{
    /// <summary>Every part was accepted: mark the event done.</summary>
    public sealed record Complete(DeliveryResult.Delivered Delivered) : RetryDecision;

    /// <summary>The attempt counts; try again at <paramref name="DueAt"/>.</summary>
    public sealed record Retry(DateTimeOffset DueAt, string Error) : RetryDecision;

    /// <summary>Nothing was sent: give the event back for <paramref name="DueAt"/> without counting the attempt.</summary>
    public sealed record Pause(DateTimeOffset DueAt, string Error) : RetryDecision;

    /// <summary>Refused for good, or out of attempts.</summary>
    public sealed record DeadLetter(string Error) : RetryDecision;
}

/// <summary>The retry settings (section <c>BotEngine</c>: MaxAttempts, RetryBaseDelay, RetryMaxDelay).</summary>
internal sealed record RetrySettings(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetrySettings From(BotEngineOptions options) =>
        new(options.MaxAttempts, options.RetryBaseDelay, options.RetryMaxDelay);
}

/// <summary>
/// How one attempt's result turns into the event's next step: a pure function of the result, the attempts made, the
/// platform's circuit, the settings, the time and a random number (the backoff's jitter), so every rule is tested
/// without a clock or a queue.
/// </summary>
internal static class RetryPolicy
{
    /// <param name="attempts">Attempts counted so far, this one included.</param>
    /// <param name="circuitOpen">The platform's outage circuit is open (or half-open): a failure is the outage's.</param>
    /// <param name="circuitRetryAt">When the circuit lets a probe through, if it said.</param>
    public static RetryDecision Decide(DeliveryResult result, long attempts, bool circuitOpen, DateTimeOffset? circuitRetryAt,
        RetrySettings settings, DateTimeOffset now, double random) => result switch
    {
        DeliveryResult.Delivered delivered => new RetryDecision.Complete(delivered),
        // A failure that opened (or kept open) its platform's circuit is the outage's, not the event's: not counted.
        DeliveryResult.Retry retry when circuitOpen => Paused(circuitRetryAt, retry.Error, attempts, settings, now, random),
        DeliveryResult.Retry retry => AfterFailure(attempts, retry.After, retry.Error, settings, now, random),
        DeliveryResult.Paused paused => Paused(paused.Until, paused.Error, attempts, settings, now, random),
        DeliveryResult.Failed failed => new RetryDecision.DeadLetter(failed.Error),
        _ => throw new InvalidOperationException($"Unknown delivery result {result}"),
    };

    /// <summary>A counted failure: retried after <paramref name="after"/> (the platform's wish) or the backoff, until
    /// the attempts run out.</summary>
    public static RetryDecision AfterFailure(
        long attempts, TimeSpan? after, string error, RetrySettings settings, DateTimeOffset now, double random) =>
        attempts >= settings.MaxAttempts
            ? new RetryDecision.DeadLetter($"gave up after {attempts} attempts: {error}")
            : new RetryDecision.Retry(now + (after ?? Backoff.For(attempts, settings.BaseDelay, settings.MaxDelay, random)), error);

    // Nothing was sent: the attempt does not count, so an outage of any length dead-letters nothing.
    private static RetryDecision.Pause Paused(
        DateTimeOffset? until, string error, long attempts, RetrySettings settings, DateTimeOffset now, double random) =>
        new(until ?? now + Backoff.For(attempts, settings.BaseDelay, settings.MaxDelay, random), error);
}
