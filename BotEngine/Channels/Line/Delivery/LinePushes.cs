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
    // LINE keeps a retry key 24 h after its first request; a later resend could be delivered twice. An hour of margin.
    private static readonly TimeSpan RetryKeyLife = TimeSpan.FromHours(23);

    /// <returns>A result to stop with (null: every part from <paramref name="first"/> on was accepted), and whether a
    /// part was counted as delivered without proof.</returns>
    public async Task<(DeliveryResult? Stop, bool Uncertain)> SendAsync(
        QueuedEvent queued, OutboundMessage[][] parts, int first, CancellationToken ct)
    {
        var uncertain = false;
        var before = first == queued.PartsSent ? queued.Push : LedgerState.NotSent;
        var firstAt = first == queued.PartsSent ? queued.PushFirstAt : null;
        for (var part = first; part < parts.Length; part++, before = LedgerState.NotSent, firstAt = null)
        {
            if (before == LedgerState.MaybeDelivered && firstAt is { } at
                && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(at) > RetryKeyLife)
            {
                logger.LogWarning("Push of event {EventId} may have been delivered and its retry key has expired: "
                    + "counted as delivered, uncertain", queued.EventId);
                uncertain = true;
                await AdvanceAsync(queued, part, parts.Length);
                continue;
            }

            if (quota.Exhausted)
            {
                return (new DeliveryResult.Paused(quota.PausedUntil, "push: LINE monthly quota reached"), uncertain);
            }

            if (before == LedgerState.NotSent)
            {
                await store.SetPushStateAsync(queued.Id, LedgerState.MaybeDelivered, CancellationToken.None);
            }

            var outcome = await api.PushAsync(queued.Recipient, parts[part], RetryKeys.ForPart(queued.RetryKey, part), ct);
            if (outcome is SendOutcome.Accepted)
            {
                await AdvanceAsync(queued, part, parts.Length);
                continue;
            }

            if (outcome is not SendOutcome.MaybeDelivered && before == LedgerState.NotSent)
            {
                var proven = outcome is SendOutcome.Rejected ? LedgerState.Refused : LedgerState.NotSent;
                await store.SetPushStateAsync(queued.Id, proven, CancellationToken.None);
            }

            return (Stop(outcome), uncertain);
        }

        return (null, uncertain);
    }

    // The last part's acceptance is recorded by the completion; earlier ones move parts_sent on.
    private Task AdvanceAsync(QueuedEvent queued, int part, int count) => part < count - 1
        ? store.SetPartsSentAsync(queued.Id, part + 1, CancellationToken.None)
        : Task.CompletedTask;

    // A maybe-delivered push is retried with the same key: LINE dedupes it. A quota 429 pauses every push.
    private DeliveryResult Stop(SendOutcome outcome)
    {
        if (outcome is not SendOutcome.QuotaExhausted exhausted) return DeliveryResult.NotAccepted(outcome, "push");
        quota.MarkExhausted();
        return new DeliveryResult.Paused(quota.PausedUntil, "push: " + exhausted.Error);
    }
}
