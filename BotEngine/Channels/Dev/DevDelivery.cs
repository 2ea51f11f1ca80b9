using BotEngine.Outbound;
using BotEngine.Queue;

namespace BotEngine.Channels.Dev;

/// <summary>"Sends" a dev event's answer: each message becomes a line in the user's chat on the dev page.</summary>
internal sealed class DevDelivery(DevHub hub) : IChannelDelivery
{
    public Channel Channel => DevChannel.Id;

    public Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            hub.Publish(queued.Recipient, DevEntry.FromBot, message.Text, message: message, eventId: $"{queued.EventId}#{i}");
        }

        return Task.FromResult<DeliveryResult>(new DeliveryResult.Delivered(messages.Count == 0 ? "no answer" : "shown", messages.Count));
    }
}
