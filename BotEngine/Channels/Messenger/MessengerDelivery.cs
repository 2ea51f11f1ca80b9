using BotEngine.Conversations;
using BotEngine.Outbound;
using BotEngine.Queue;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Answers one Messenger event: one Send API call per message, in order, as a response inside the 24-hour window.
/// The Send API has no idempotency key, so each message keeps a ledger (<c>events.push_state</c> of the part
/// <c>parts_sent</c> points at): maybe delivered is stored before the request, and set back to not sent when the answer
/// proves the request unused (refused connection, 429, 5xx). A part still maybe delivered when the event is tried again
/// (an answer came too late, the connection was cut after the body was written, the engine died mid-call) is counted as
/// delivered and uncertain, never sent again: a second copy is worse than a doubt the operator can see
/// (<c>botengine_uncertain_deliveries_total{channel="messenger"}</c>, <c>events.uncertain</c>).
/// </summary>
internal sealed class MessengerDelivery(
    IMessengerApi api, IEventStore store, TimeProvider clock, ILogger<MessengerDelivery> logger) : IChannelDelivery
{
    /// <summary>
    /// Standard messaging: a page may answer within 24 hours of the user's message. Later it needs a message tag for
    /// that tag's one use case (an account update, an event reminder…), which a general bot has no right to claim.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public Channel Channel => MessengerChannel.Id;

    public async Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return new DeliveryResult.Delivered("no answer", 0);
        if (OutsideWindow(queued) is { } closed) return new DeliveryResult.Failed(closed);

        var uncertain = false;
        for (var part = (int)queued.PartsSent; part < messages.Count; part++)
        {
            var before = part == queued.PartsSent ? queued.Push : LedgerState.NotSent;
            if (before == LedgerState.MaybeDelivered)
            {
                logger.LogWarning("Message {Part} of event {EventId} may have been delivered by an earlier attempt: "
                    + "counted as delivered, uncertain (sending it again could show it twice)", part, queued.EventId);
                uncertain = true;
                await AdvanceAsync(queued, part, messages.Count);
                continue;
            }

            await store.SetPushStateAsync(queued.Id, LedgerState.MaybeDelivered, CancellationToken.None);
            var outcome = await api.SendAsync(queued.Recipient, messages[part], ct);
            if (outcome is SendOutcome.Accepted)
            {
                await AdvanceAsync(queued, part, messages.Count);
                continue;
            }

            if (outcome is not SendOutcome.MaybeDelivered)
            {
                var proven = outcome is SendOutcome.Rejected ? LedgerState.Refused : LedgerState.NotSent;
                await store.SetPushStateAsync(queued.Id, proven, CancellationToken.None);
            }

            return Stop(outcome);
        }

        return new DeliveryResult.Delivered(uncertain ? "sent, uncertain" : "sent", messages.Count, uncertain);
    }

    // A fired timer's own time says nothing of the user's last message: Meta's refusal (10/2018278) decides for it.
    private string? OutsideWindow(QueuedEvent queued)
    {
        if (queued.Kind == TimerCommand.InputKind) return null;
        var wrote = DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(queued.OccurredAt, queued.ReceivedAt));
        var age = clock.GetUtcNow() - wrote;
        return age < Window ? null
            : $"outside Messenger's 24-hour window: the user wrote at {wrote:u}, {age.TotalHours:0.#} h ago; "
              + "an answer now needs a message tag this bot has no right to, so it is not sent";
    }

    // The last part's acceptance is recorded by the completion; earlier ones move parts_sent on.
    private Task AdvanceAsync(QueuedEvent queued, int part, int count) => part < count - 1
        ? store.SetPartsSentAsync(queued.Id, part + 1, CancellationToken.None)
        : Task.CompletedTask;

    private static DeliveryResult Stop(SendOutcome outcome) => DeliveryResult.NotAccepted(outcome, "send");
}
