using BotEngine.Channels;
using BotEngine.Queue;

namespace BotEngine.Outbound;

/// <summary>
/// Sends an answer's parts one request after another, in order, storing after each accepted part (but the last,
/// which the completion records) how many went out, so a retry resumes at the first part not yet accepted.
/// </summary>
internal static class SequentialParts
{
    /// <returns>Null when every part from <paramref name="first"/> on was accepted; else how the attempt ends.</returns>
    public static async Task<DeliveryResult?> SendAsync(
        IEventStore store, long eventId, int first, int count, string what, Func<int, Task<SendOutcome>> send)
    {
        for (var part = first; part < count; part++)
        {
            var outcome = await send(part);
            if (outcome is not SendOutcome.Accepted)
            {
                // A maybe-delivered part is sent again by the retry: the platform may have taken it.
                return DeliveryResult.NotAccepted(outcome, what);
            }

            await AdvanceAsync(store, eventId, part, count);
        }

        return null;
    }

    /// <summary>
    /// As <see cref="SendAsync"/>, keeping the push ledger (<c>events.push_state</c>) of the part <c>parts_sent</c>
    /// points at: maybe delivered is stored before each request, and set to what the answer proves when it proves the
    /// request unused (not sent) or refused. A part an earlier attempt may have delivered is sent again or counted as
    /// delivered, uncertain, as <paramref name="ledger"/> decides; its ledger then never goes back.
    /// </summary>
    /// <returns>A result to stop with (null: every part from <paramref name="first"/> on was accepted), and whether a
    /// part was counted as delivered without proof.</returns>
    public static async Task<(DeliveryResult? Stop, bool Uncertain)> SendLedgeredAsync(
        IEventStore store, QueuedEvent queued, int first, int count, PartLedger ledger)
    {
        var uncertain = false;
        var before = first == queued.PartsSent ? queued.Push : LedgerState.NotSent;
        var firstAt = first == queued.PartsSent ? queued.PushFirstAt : null;
        for (var part = first; part < count; part++, before = LedgerState.NotSent, firstAt = null)
        {
            var mayHaveGone = before == LedgerState.MaybeDelivered;
            if (mayHaveGone && ledger.CountAsDelivered(part, firstAt))
            {
                uncertain = true;
                await AdvanceAsync(store, queued.Id, part, count);
                continue;
            }

            if (ledger.Hold?.Invoke() is { } held) return (held, uncertain);
            if (!mayHaveGone)
            {
                await store.SetPushStateAsync(queued.Id, LedgerState.MaybeDelivered, CancellationToken.None);
            }

            var outcome = await ledger.Send(part);
            if (outcome is SendOutcome.Accepted)
            {
                await AdvanceAsync(store, queued.Id, part, count);
                continue;
            }

            if (outcome is not SendOutcome.MaybeDelivered && !mayHaveGone)
            {
                var proven = outcome is SendOutcome.Rejected ? LedgerState.Refused : LedgerState.NotSent;
                await store.SetPushStateAsync(queued.Id, proven, CancellationToken.None);
            }

            return (ledger.Stop(outcome), uncertain);
        }

        return (null, uncertain);
    }

    // The last part's acceptance is recorded by the completion; earlier ones move parts_sent on.
    private static Task AdvanceAsync(IEventStore store, long eventId, int part, int count) => part < count - 1
        ? store.SetPartsSentAsync(eventId, part + 1, CancellationToken.None)
        : Task.CompletedTask;
}

/// <summary>A channel's side of <see cref="SequentialParts.SendLedgeredAsync"/>.</summary>
/// <param name="Send">Sends one part (by its index), one request.</param>
/// <param name="CountAsDelivered">
/// For a part an earlier attempt may have delivered (given its index and when its first request was stored): true
/// counts it as delivered, uncertain (and is the channel's place to log why); false sends it again, which only a retry
/// key the platform dedupes on makes safe.
/// </param>
/// <param name="Stop">How the attempt ends on a part not accepted.</param>
/// <param name="Hold">Asked before each request: a result to stop with instead of sending (null: send).</param>
internal sealed record PartLedger(
    Func<int, Task<SendOutcome>> Send,
    Func<int, long?, bool> CountAsDelivered,
    Func<SendOutcome, DeliveryResult> Stop,
    Func<DeliveryResult?>? Hold = null);
