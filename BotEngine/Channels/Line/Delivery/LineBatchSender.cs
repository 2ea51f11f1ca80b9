using BotEngine.Outbound;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>
/// Sends a batch as one multicast and tells each member how it went. The batch is stored before its first attempt
/// (<see cref="BatchStore"/>), keeps its ledger like a push, and its members are done only when LINE accepted it (a 409
/// counts: the key was taken before). A recipient list LINE refuses (400 naming <c>to</c>) is split: the named user
/// alone and the rest, or halves, each stored with a new key, so one bad id does not hold back the others. Failures
/// give every member the same due time, so they come back (and <see cref="LineBatcher.Rejoin"/>) together.
/// </summary>
internal sealed class LineBatchSender(
    ILineApi api, IBatchStore batches, LinePushes pushes, LineQuota quota, IOptions<BotEngineOptions> engine,
    TimeProvider clock, ILogger<LineBatchSender> logger)
{
    public Task SendNewAsync(string messages, IReadOnlyList<BatchMember> members) => GuardAsync(members, async () =>
    {
        var batch = await batches.CreateAsync(LineChannel.Id.Name, messages,
            [.. members.Select(m => (m.Event.Id, m.Event.Recipient))], CancellationToken.None);
        await SendAsync(batch, members, LedgerState.NotSent);
    });

    public Task PushAloneAsync(BatchMember member, OutboundMessage[] messages) => GuardAsync([member], async () =>
    {
        var (stop, uncertain) = await pushes.SendAsync(member.Event, [messages], 0, CancellationToken.None);
        member.Result.TrySetResult(stop ?? new DeliveryResult.Delivered("pushed", 1, uncertain));
    });

    public Task SendStoredAsync(long batchId, IReadOnlyList<BatchMember> members) => GuardAsync(members, async () =>
    {
        var batch = await batches.GetAsync(batchId, CancellationToken.None);
        if (batch is null)
        {
            Complete(members, new DeliveryResult.Failed($"multicast: batch {batchId} is missing"));
            return;
        }

        if (batch.Ledger != LedgerState.Refused)
        {
            await SendAsync(batch, members, batch.Ledger);
            return;
        }

        // Refused: split since these members were claimed (they moved to a part), or refused alone.
        var moved = new Dictionary<long, List<BatchMember>>();
        foreach (var member in members)
        {
            var now = await batches.BatchOfAsync(member.Event.Id, CancellationToken.None);
            if (now is { } id && id != batchId) (moved.TryGetValue(id, out var list) ? list : moved[id] = []).Add(member);
            else member.Result.TrySetResult(new DeliveryResult.Failed($"multicast: batch {batchId} was refused"));
        }

        await Task.WhenAll(moved.Select(pair => SendStoredAsync(pair.Key, pair.Value)));
    });

    // before: the ledger as earlier attempts left it (a new batch is stored as maybe delivered, its write-ahead).
    private async Task SendAsync(StoredBatch batch, IReadOnlyList<BatchMember> members, LedgerState before)
    {
        if (before == LedgerState.Delivered)
        {
            Complete(members, new DeliveryResult.Delivered("multicast", 1));
            return;
        }

        if (before == LedgerState.MaybeDelivered && batch.FirstAttemptAt is { } first
            && RetryKeys.Expired(first, clock.GetUtcNow()))
        {
            logger.LogWarning("Multicast batch {Batch} may have been delivered and its retry key has expired: counted as "
                + "delivered, uncertain", batch.Id);
            Complete(members, new DeliveryResult.Delivered("multicast uncertain", 1, Uncertain: true));
            return;
        }

        if (quota.Exhausted)
        {
            Complete(members, new DeliveryResult.Paused(quota.PausedUntil, "multicast: LINE monthly quota reached"));
            return;
        }

        if (before == LedgerState.NotSent && batch.Ledger == LedgerState.NotSent)
        {
            await batches.SetStateAsync(batch.Id, LedgerState.MaybeDelivered, null, CancellationToken.None);
        }

        var recipients = batch.RecipientList;
        var outcome = await api.MulticastAsync(recipients, batch.Messages, batch.Key, CancellationToken.None);
        switch (outcome)
        {
            case SendOutcome.Accepted:
                await batches.SetStateAsync(batch.Id, LedgerState.Delivered, null, CancellationToken.None);
                Complete(members, new DeliveryResult.Delivered("multicast", 1));
                return;
            case SendOutcome.MaybeDelivered maybe:
                Complete(members, new DeliveryResult.Retry(Backoff(members), "multicast: " + maybe.Error));
                return;
            case SendOutcome.Rejected rejected when recipients.Count > 1 && ConcernsRecipients(rejected.Property):
                await SplitAsync(batch, recipients, members, rejected);
                return;
        }

        if (before == LedgerState.NotSent)
        {
            var proven = outcome is SendOutcome.Rejected ? LedgerState.Refused : LedgerState.NotSent;
            await batches.SetStateAsync(batch.Id, proven, Error(outcome), CancellationToken.None);
        }

        Complete(members, outcome switch
        {
            SendOutcome.NotSent notSent => new DeliveryResult.Paused(notSent.Until, "multicast: " + notSent.Error),
            SendOutcome.RetryLater retry => new DeliveryResult.Retry(retry.After ?? Backoff(members), "multicast: " + retry.Error),
            SendOutcome.QuotaExhausted exhausted => Exhausted(exhausted),
            _ => new DeliveryResult.Failed("multicast: " + Error(outcome)),
        });
    }

    private async Task SplitAsync(
        StoredBatch batch, IReadOnlyList<string> recipients, IReadOnlyList<BatchMember> members, SendOutcome.Rejected why)
    {
        var bad = BadIndex(why.Property, recipients.Count);
        IReadOnlyList<IReadOnlyList<string>> parts = bad is { } i
            ? [[recipients[i]], [.. recipients.Where((_, k) => k != i)]]
            : [[.. recipients.Take(recipients.Count / 2)], [.. recipients.Skip(recipients.Count / 2)]];
        logger.LogWarning("Multicast batch {Batch} refused ({Error}): split into {Sizes}", batch.Id, why.Error,
            string.Join(" + ", parts.Select(p => p.Count)));
        var children = await batches.SplitAsync(batch, parts, why.Error, CancellationToken.None);
        await Task.WhenAll(children.Select(child =>
        {
            var users = child.RecipientList.ToHashSet(StringComparer.Ordinal);
            return SendAsync(child, [.. members.Where(m => users.Contains(m.Event.Recipient))], LedgerState.NotSent);
        }));
    }

    private DeliveryResult.Paused Exhausted(SendOutcome.QuotaExhausted exhausted)
    {
        quota.MarkExhausted();
        return new DeliveryResult.Paused(quota.PausedUntil, "multicast: " + exhausted.Error);
    }

    // No detail (LINE names none), or one that names the recipients: a user id may be the cause. A message property
    // means every member's answer is refused alike, and splitting cannot help.
    private static bool ConcernsRecipients(string? property) =>
        string.IsNullOrEmpty(property) || property.StartsWith("to", StringComparison.Ordinal);

    // "to[3]" → 3.
    private static int? BadIndex(string? property, int count) =>
        property is ['t', 'o', '[', .. var rest] && rest.EndsWith(']')
        && int.TryParse(rest[..^1], System.Globalization.CultureInfo.InvariantCulture, out var i) && i >= 0 && i < count
            ? i : null;

    // Every member comes back at the same time, after the backoff of the most tried one.
    private TimeSpan Backoff(IReadOnlyList<BatchMember> members) => Queue.Backoff.For(
        members.Max(m => m.Event.Attempts), engine.Value.RetryBaseDelay, engine.Value.RetryMaxDelay, Random.Shared.NextDouble());

    private static string Error(SendOutcome outcome) => outcome switch
    {
        SendOutcome.NotSent n => n.Error,
        SendOutcome.RetryLater r => r.Error,
        SendOutcome.QuotaExhausted q => q.Error,
        SendOutcome.Rejected r => r.Error,
        SendOutcome.InvalidReplyToken t => t.Error,
        _ => outcome.ToString(),
    };

    private static void Complete(IReadOnlyList<BatchMember> members, DeliveryResult result)
    {
        foreach (var member in members) member.Result.TrySetResult(result);
    }

    private async Task GuardAsync(IReadOnlyList<BatchMember> members, Func<Task> send)
    {
        try
        {
            await send();
        }
#pragma warning disable CA1031 // A failure to store or read the batch (disk full) is every member's failed attempt.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Multicast of {Count} answers failed before it was sent", members.Count);
            Complete(members, new DeliveryResult.Retry(null, $"multicast: {ex.GetType().Name}: {ex.Message}"));
        }
    }
}
