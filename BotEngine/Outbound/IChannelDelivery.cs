using BotEngine.Channels;
using BotEngine.Queue;

namespace BotEngine.Outbound;

/// <summary>Sends one event's answer through its channel, recording progress in the queue before each risky step.</summary>
internal interface IChannelDelivery
{
    Channel Channel { get; }

    Task<DeliveryResult> DeliverAsync(QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct);
}

/// <summary>How one delivery attempt ended.</summary>
internal abstract record DeliveryResult
{
    /// <summary>
    /// Every part was accepted; <paramref name="Outcome"/> says how (replied, pushed, ...). <paramref name="Uncertain"/>:
    /// counted as delivered because an attempt may have been, though nothing confirms it (sending again could double it).
    /// </summary>
    public sealed record Delivered(string Outcome, int Parts, bool Uncertain = false) : DeliveryResult;

    /// <summary>Try again later; <paramref name="After"/> is the platform's wish, if it said one. Counts an attempt.</summary>
    public sealed record Retry(TimeSpan? After, string Error) : DeliveryResult;

    /// <summary>
    /// Nothing was sent (the platform is unreachable or paused, the request never left): give the event back without
    /// counting the attempt, due at <paramref name="Until"/> (or after a short backoff).
    /// </summary>
    public sealed record Paused(DateTimeOffset? Until, string Error) : DeliveryResult;

    /// <summary>Refused for good: dead-letter now.</summary>
    public sealed record Failed(string Error) : DeliveryResult;

    /// <summary>
    /// The send planner holds the event (its lane stays claimed) until <paramref name="Result"/> completes: the
    /// answer waits to share one request with others, so the worker frees its slot for the next lane meanwhile.
    /// </summary>
    public sealed record Handed(Task<DeliveryResult> Result) : DeliveryResult;

    /// <summary>
    /// How an attempt ends on a send that was not accepted, <paramref name="what"/> naming it in the error: maybe
    /// delivered is retried (the same part again), not sent is paused (no attempt counted), rejected is dead.
    /// </summary>
    public static DeliveryResult NotAccepted(SendOutcome outcome, string what) => outcome switch
    {
        SendOutcome.RetryLater retry => new Retry(retry.After, $"{what}: {retry.Error}"),
        SendOutcome.MaybeDelivered maybe => new Retry(null, $"{what}: {maybe.Error}"),
        SendOutcome.NotSent notSent => new Paused(notSent.Until, $"{what}: {notSent.Error}"),
        SendOutcome.Rejected rejected => new Failed($"{what}: {rejected.Error}"),
        _ => new Failed($"{what}: {outcome}"),
    };
}
