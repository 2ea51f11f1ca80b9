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

        var (failed, uncertain) = await SequentialParts.SendLedgeredAsync(store, queued, (int)queued.PartsSent,
            messages.Count, new PartLedger(
                Send: part => api.SendAsync(queued.Recipient, messages[part], ct),
                CountAsDelivered: (part, _) => CountAsDelivered(queued, part),
                Stop: outcome => DeliveryResult.NotAccepted(outcome, "send")));
        return failed ?? new DeliveryResult.Delivered(uncertain ? "sent, uncertain" : "sent", messages.Count, uncertain);
    }

    // No retry key: a message that may have gone out is never sent again, whatever its age.
    private bool CountAsDelivered(QueuedEvent queued, int part)
    {
        logger.LogWarning("Message {Part} of event {EventId} may have been delivered by an earlier attempt: "
            + "counted as delivered, uncertain (sending it again could show it twice)", part, queued.EventId);
        return true;
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
}
