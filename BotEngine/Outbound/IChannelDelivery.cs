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
    /// <summary>Every part was accepted; <paramref name="Outcome"/> says how (replied, pushed, ...).</summary>
    public sealed record Delivered(string Outcome, int Parts) : DeliveryResult;

    /// <summary>Try again later; <paramref name="After"/> is the platform's wish, if it said one.</summary>
    public sealed record Retry(TimeSpan? After, string Error) : DeliveryResult;

    /// <summary>Refused for good: dead-letter now.</summary>
    public sealed record Failed(string Error) : DeliveryResult;
}
