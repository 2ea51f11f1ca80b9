using BotEngine.Outbound;
using BotEngine.Queue;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Answers one Telegram update: one sendMessage per message, in order, the count of messages sent stored after
/// each. The Bot API has no idempotency key, so a send whose answer was lost (timeout) is sent again on retry and
/// may show twice; every other failure is retried without that risk. A tapped inline button (a callback query, its id
/// kept as the event's reply token) is answered first with answerCallbackQuery so the button stops spinning; the reply
/// ledger (<c>events.reply_state</c>) records that, so a retry of the event does not answer it again (a crash between
/// the two may: Telegram takes a repeated answer harmlessly).
/// </summary>
internal sealed class TelegramDelivery(ITelegramApi api, IEventStore store, ILogger<TelegramDelivery> logger)
    : IChannelDelivery
{
    public Channel Channel => TelegramChannel.Id;

    public async Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        if (queued.ReplyToken is { } callbackQuery && queued.Reply == LedgerState.NotSent)
        {
            await AnswerCallbackQueryAsync(queued, callbackQuery, ct);
        }

        var failed = await SequentialParts.SendAsync(store, queued.Id, (int)queued.PartsSent, messages.Count,
            "sendMessage", part => api.SendMessageAsync(queued.Recipient, messages[part], ct));
        return failed ?? new DeliveryResult.Delivered(messages.Count == 0 ? "no answer" : "sent", messages.Count);
    }

    // Only the spinner depends on it, never the answer: a failure is logged and the messages go out regardless.
    private async Task AnswerCallbackQueryAsync(QueuedEvent queued, string callbackQuery, CancellationToken ct)
    {
        var outcome = await api.AnswerCallbackQueryAsync(callbackQuery, ct);
        switch (outcome)
        {
            case SendOutcome.Accepted:
                await store.SetReplyStateAsync(queued.Id, LedgerState.Delivered, CancellationToken.None);
                break;
            case SendOutcome.Rejected rejected: // too old, or unknown: answering again cannot help
                logger.LogInformation("Callback query of update {EventId} not answered: {Error}", queued.EventId, rejected.Error);
                await store.SetReplyStateAsync(queued.Id, LedgerState.Refused, CancellationToken.None);
                break;
            default: // tried again with the event, if the event is tried again
                logger.LogInformation("Callback query of update {EventId} not answered yet: {Outcome}", queued.EventId, outcome);
                break;
        }
    }
}
