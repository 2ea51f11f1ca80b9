using BotEngine.Outbound;
using BotEngine.Queue;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>What became of a reply: sent, counted as sent though uncertain, not usable (push instead), or stop here.</summary>
internal enum ReplyStep
{
    Replied,
    Uncertain,
    TokenRefused,
    Stop,
}

/// <summary>
/// Replies with an event's token, keeping the reply ledger (<c>events.reply_state</c>): maybe delivered is stored
/// before the request, then set to what the answer proved. The decisions (README, "Reply and push ledger"):
/// "Invalid reply token" after a maybe-delivered attempt counts as delivered and uncertain, since LINE may have taken
/// the earlier attempt and a push could show the answer twice; after only attempts that were not sent, the token is
/// refused and the answer goes by push. A 429 or 5xx proves that attempt unused, not the earlier ones.
/// </summary>
internal sealed class LineReplies(ILineApi api, IEventStore store, ILogger<LineReplies> logger)
{
    public async Task<(ReplyStep Step, DeliveryResult? Stop)> SendAsync(
        QueuedEvent queued, string token, OutboundMessage[] part, CancellationToken ct)
    {
        var before = queued.Reply;
        if (before == LedgerState.NotSent)
        {
            await store.SetReplyStateAsync(queued.Id, LedgerState.MaybeDelivered, CancellationToken.None);
        }

        switch (await api.ReplyAsync(token, part, ct))
        {
            case SendOutcome.Accepted:
                return (ReplyStep.Replied, null);
            case SendOutcome.InvalidReplyToken when before == LedgerState.MaybeDelivered:
                logger.LogWarning("Reply token of event {EventId} refused after an attempt that may have been delivered: "
                    + "counted as delivered, uncertain", queued.EventId);
                return (ReplyStep.Uncertain, null);
            case SendOutcome.InvalidReplyToken:
                logger.LogInformation("Reply token refused on first use: answering by push");
                await store.SetReplyStateAsync(queued.Id, LedgerState.Refused, CancellationToken.None);
                return (ReplyStep.TokenRefused, null);
            case SendOutcome.MaybeDelivered maybe:
                return Stop(new DeliveryResult.Retry(null, "reply: " + maybe.Error)); // stays maybe delivered
            case SendOutcome.NotSent notSent:
                await RestoreAsync(queued, before);
                return Stop(new DeliveryResult.Paused(notSent.Until, "reply: " + notSent.Error));
            case SendOutcome.RetryLater retry:
                await RestoreAsync(queued, before);
                return Stop(new DeliveryResult.Retry(retry.After, "reply: " + retry.Error));
            case SendOutcome.QuotaExhausted quota: // replies are not counted towards the quota: retry as a 429
                await RestoreAsync(queued, before);
                return Stop(new DeliveryResult.Retry(null, "reply: " + quota.Error));
            case SendOutcome.Rejected rejected:
                await RestoreAsync(queued, before);
                return Stop(new DeliveryResult.Failed("reply: " + rejected.Error));
            case var other:
                return Stop(new DeliveryResult.Failed($"reply: {other}"));
        }
    }

    private static (ReplyStep, DeliveryResult?) Stop(DeliveryResult result) => (ReplyStep.Stop, result);

    // The platform's answer proves this attempt unused: the ledger goes back to what the earlier attempts left.
    private Task RestoreAsync(QueuedEvent queued, LedgerState before) => before == LedgerState.NotSent
        ? store.SetReplyStateAsync(queued.Id, LedgerState.NotSent, CancellationToken.None)
        : Task.CompletedTask;
}
