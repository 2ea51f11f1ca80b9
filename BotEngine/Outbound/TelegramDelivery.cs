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
        var failed = await SequentialParts.SendAsync(store, queued.Id, (int)queued.PartsSent, messages.Count,
            "sendMessage", part => api.SendMessageAsync(queued.Recipient, messages[part], ct));
        return failed ?? new DeliveryResult.Delivered(messages.Count == 0 ? "no answer" : "sent", messages.Count);
    }
}
