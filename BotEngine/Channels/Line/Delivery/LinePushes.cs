using BotEngine.Outbound;
using BotEngine.Queue;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>
/// Pushes an answer's parts in order, each with its own retry key (<see cref="RetryKeys"/>), keeping the push ledger
/// (<c>events.push_state</c>) of the part <c>parts_sent</c> points at: maybe delivered before each request, back to
/// not sent when the answer proves the request unused. A 409 is accepted (LINE took the key before).
/// </summary>
internal sealed class LinePushes(ILineApi api, IEventStore store, LineQuota quota, TimeProvider clock, ILogger<LinePushes> logger)
{
    /// <returns>A result to stop with (null: every part from <paramref name="first"/> on was accepted), and whether a
    /// part was counted as delivered without proof.</returns>
    public Task<(DeliveryResult? Stop, bool Uncertain)> SendAsync(
        QueuedEvent queued, OutboundMessage[][] parts, int first, CancellationToken ct) =>
        SequentialParts.SendLedgeredAsync(store, queued, first, parts.Length, new PartLedger(
            Send: part => api.PushAsync(queued.Recipient, parts[part], RetryKeys.ForPart(queued.RetryKey, part), ct),
            CountAsDelivered: (_, firstAt) => KeyExpired(queued, firstAt),
            Stop: Stop,
            Hold: () => quota.Exhausted
                ? new DeliveryResult.Paused(quota.PausedUntil, "push: LINE monthly quota reached")
                : null));

    // A push that may have gone out is sent again under its key while LINE still dedupes on it.
    private bool KeyExpired(QueuedEvent queued, long? firstAt)
    {
        if (firstAt is not { } at || !RetryKeys.Expired(at, clock.GetUtcNow()))
        {
            return false;
        }

        logger.LogWarning("Push of event {EventId} may have been delivered and its retry key has expired: "
            + "counted as delivered, uncertain", queued.EventId);
        return true;
    }

    // A maybe-delivered push is retried with the same key: LINE dedupes it. A quota 429 pauses every push.
    private DeliveryResult Stop(SendOutcome outcome)
    {
        if (outcome is not SendOutcome.QuotaExhausted exhausted) return DeliveryResult.NotAccepted(outcome, "push");
        quota.MarkExhausted();
        return new DeliveryResult.Paused(quota.PausedUntil, "push: " + exhausted.Error);
    }
}
