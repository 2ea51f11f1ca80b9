using BotEngine.Outbound;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>
/// Answers one LINE event, up to five messages per request: with its reply token while that is fresh (replies are
/// free; <see cref="LineReplies"/>), else by push with the event's stored retry key (<see cref="LinePushes"/>). An
/// answer that goes by push to one user in one request may instead share a multicast with identical answers to other
/// users (<see cref="LineBatcher"/>): always in Batched mode, for stale tokens in ReplyFirst mode. A fresh token is
/// never turned into a multicast: a reply costs nothing, a multicast is billed per recipient.
/// </summary>
internal sealed class LineDelivery(
    LineReplies replies, LinePushes pushes, LineBatcher batcher, IEventStore store, IOptions<LineOptions> options,
    TimeProvider clock)
    : IChannelDelivery
{
    public Channel Channel => LineChannel.Id;

    public async Task<DeliveryResult> DeliverAsync(
        QueuedEvent queued, IReadOnlyList<OutboundMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return new DeliveryResult.Delivered("no answer", 0);
        }

        if (queued.BatchId is { } batch)
        {
            return batcher.Rejoin(queued, batch); // its multicast is stored: the same request, under the same key
        }

        var parts = messages.Chunk(LineApiClient.MaxMessages).ToArray();
        var sent = (int)queued.PartsSent;
        var how = "pushed";
        // A first part replied in an earlier attempt whose token was then refused stays uncertain.
        var uncertain = sent > 0 && queued.Reply == LedgerState.MaybeDelivered;
        if (sent == 0 && ReplyToken(queued) is { } token)
        {
            var (step, stop) = await replies.SendAsync(queued, token, parts[0], ct);
            if (stop is not null)
            {
                return stop;
            }

            if (step is ReplyStep.Replied or ReplyStep.Uncertain)
            {
                (sent, how, uncertain) = (1, "replied", step == ReplyStep.Uncertain);
                if (parts.Length == 1)
                {
                    return new DeliveryResult.Delivered(uncertain ? "reply uncertain" : how, 1, uncertain);
                }

                await store.SetPartsSentAsync(queued.Id, 1, CancellationToken.None, replied: !uncertain);
            }
        }

        // A push that may have gone out keeps its own retry key: a multicast under another key could double it.
        if (sent == 0 && parts.Length == 1 && queued.Push == LedgerState.NotSent
            && options.Value.CoalesceWindow > TimeSpan.Zero && LineBatcher.CanShare(queued.Recipient))
        {
            return batcher.Join(queued, parts[0]);
        }

        var (failed, pushUncertain) = await pushes.SendAsync(queued, parts, sent, ct);
        return failed ?? new DeliveryResult.Delivered(how, parts.Length, uncertain || pushUncertain);
    }

    // A reply that may already have reached LINE is tried again whatever the token's age or the mode: a refusal then
    // means it was used, and pushing instead could send the answer twice. Otherwise only a fresh token, in ReplyFirst.
    private string? ReplyToken(QueuedEvent queued)
    {
        if (queued.ReplyToken is not { } token) return null;
        if (queued.Reply == LedgerState.MaybeDelivered) return token;
        if (queued.Reply != LedgerState.NotSent || options.Value.DeliveryMode != LineDeliveryMode.ReplyFirst) return null;
        var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(queued.ReceivedAt);
        return age < options.Value.ReplyWindow ? token : null;
    }
}
