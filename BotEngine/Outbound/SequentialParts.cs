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
                case var other:
                    // A maybe-delivered part is sent again by the retry: the platform may have taken it.
                    return DeliveryResult.NotAccepted(other, what);
            }
        }

        return null;
    }
}
