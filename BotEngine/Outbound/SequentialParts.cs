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
            switch (await send(part))
            {
                case SendOutcome.Accepted when part < count - 1:
                    await store.SetPartsSentAsync(eventId, part + 1, CancellationToken.None);
                    break;
                case SendOutcome.Accepted:
                    break;
                case SendOutcome.RetryLater retry:
                    return new DeliveryResult.Retry(retry.After, $"{what}: {retry.Error}");
                case SendOutcome.MaybeDelivered maybe:
                    // The platform may have taken it; the retry sends the same part again.
                    return new DeliveryResult.Retry(null, $"{what}: {maybe.Error}");
                case SendOutcome.NotSent notSent:
                    return new DeliveryResult.Paused(notSent.Until, $"{what}: {notSent.Error}");
                case SendOutcome.Rejected rejected:
                    return new DeliveryResult.Failed($"{what}: {rejected.Error}");
                case var other:
                    return new DeliveryResult.Failed($"{what}: {other}");
            }
        }

        return null;
    }
}
