using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound;

/// <summary>
/// Answers one LINE event: with its reply token while that is fresh (replies are free), else by push with the
/// event's stored retry key. Up to five messages per request. Progress is stored before each step that could send
/// twice: the reply state before a reply, the number of parts sent after each accepted part.
/// </summary>
internal sealed class LineDelivery(
    ILineApi api, EventStore store, IOptions<LineOptions> options, TimeProvider clock, ILogger<LineDelivery> logger)
    : IChannelDelivery
{
    private const int MessagesPerRequest = 5;

    public Channel Channel => Channel.Line;

    public async Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return new DeliveryResult.Delivered("no answer", 0);
        }

        var parts = messages.Chunk(MessagesPerRequest).ToArray();
        var sent = (int)queued.PartsSent;
        var how = "pushed";
        if (sent == 0 && queued.ReplyToken is { } token && ShouldReply(queued))
        {
            var (replied, stop) = await ReplyAsync(queued, token, parts[0], ct);
            if (stop is not null)
            {
                return stop;
            }

            if (replied)
            {
                sent = 1;
                how = "replied";
                if (parts.Length > 1)
                {
                    await store.SetPartsSentAsync(queued.Id, sent, CancellationToken.None);
                }
            }
        }

        var failed = await SequentialParts.SendAsync(store, queued.Id, sent, parts.Length, "push",
            part => api.PushAsync(queued.Recipient, parts[part], RetryKeys.ForPart(queued.RetryKey, part), ct));
        return failed ?? new DeliveryResult.Delivered(how, parts.Length);
    }

    private bool ShouldReply(QueuedEvent queued)
    {
        if (options.Value.DeliveryMode != LineDeliveryMode.ReplyFirst)
        {
            return false;
        }

        // A reply that may already have reached LINE is tried again whatever the token's age: a refusal then means
        // it was used, and pushing instead could send the answer twice.
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(queued.ReceivedAt);
        return queued.Reply == ReplyState.Attempted || age < options.Value.ReplyWindow;
    }

    private async Task<(bool Replied, DeliveryResult? Stop)> ReplyAsync(
        QueuedEvent queued, string token, OutboundMessage[] part, CancellationToken ct)
    {
        var triedBefore = queued.Reply == ReplyState.Attempted;
        if (!triedBefore)
        {
            await store.SetReplyStateAsync(queued.Id, ReplyState.Attempted, CancellationToken.None);
        }

        var outcome = await api.ReplyAsync(token, part, ct);
        switch (outcome)
        {
            case SendOutcome.Accepted:
                return (true, null);
            case SendOutcome.InvalidReplyToken when triedBefore:
                logger.LogInformation("Reply token refused after an earlier attempt: counted as delivered");
                return (true, null);
            case SendOutcome.InvalidReplyToken:
                logger.LogInformation("Reply token refused on first use: answering by push");
                return (false, null);
            case SendOutcome.RetryLater retry:
                // LINE answered with an error, so the token was not used: a later attempt may push if it is stale.
                await store.SetReplyStateAsync(queued.Id, ReplyState.Refused, CancellationToken.None);
                return (false, new DeliveryResult.Retry(retry.After, "reply: " + retry.Error));
            case SendOutcome.Unknown unknown:
                return (false, new DeliveryResult.Retry(null, "reply: " + unknown.Error));
            default:
                return (false, new DeliveryResult.Failed("reply: " + Describe(outcome)));
        }
    }

    private static string Describe(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Rejected rejected => rejected.Error,
        SendOutcome.InvalidReplyToken invalid => invalid.Error,
        _ => outcome.GetType().Name,
    };
}
