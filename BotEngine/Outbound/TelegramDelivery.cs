using BotEngine.Channels;
using BotEngine.Channels.Telegram;
using BotEngine.Queue;

namespace BotEngine.Outbound;

/// <summary>
/// Answers one Telegram update: one sendMessage per message, in order, the count of messages sent stored after
/// each. The Bot API has no idempotency key, so a send whose answer was lost (timeout) is sent again on retry and
/// may show twice; every other failure is retried without that risk.
/// </summary>
internal sealed class TelegramDelivery(ITelegramApi api, EventStore store) : IChannelDelivery
{
    public Channel Channel => Channel.Telegram;

    public async Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        for (var part = (int)queued.PartsSent; part < messages.Count; part++)
        {
            var outcome = await api.SendMessageAsync(queued.Recipient, messages[part], ct);
            switch (outcome)
            {
                case SendOutcome.Accepted when part < messages.Count - 1:
                    await store.SetPartsSentAsync(queued.Id, part + 1, CancellationToken.None);
                    break;
                case SendOutcome.Accepted:
                    break;
                case SendOutcome.RetryLater retry:
                    return new DeliveryResult.Retry(retry.After, retry.Error);
                case SendOutcome.Unknown unknown:
                    return new DeliveryResult.Retry(null, unknown.Error);
                case SendOutcome.Rejected rejected:
                    return new DeliveryResult.Failed(rejected.Error);
                default:
                    return new DeliveryResult.Failed(outcome.GetType().Name);
            }
        }

        return new DeliveryResult.Delivered(messages.Count == 0 ? "no answer" : "sent", messages.Count);
    }
}
