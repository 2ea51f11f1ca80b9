using BotEngine.Channels;

namespace BotEngine.Conversations;

/// <summary>
/// Names one conversation: its lane in the queue, its actor and its persistence id. The lane key is built and read
/// here only.
/// </summary>
public readonly record struct ConversationKey(Channel Channel, string Id)
{
    public string PersistenceId => $"conversation-{Channel.Name}-{Id}";

    public string ActorName => Uri.EscapeDataString(PersistenceId);

    /// <summary>The lane key stored in the queue: <c>line:U1234…</c>.</summary>
    public string Lane => LaneOf(Channel.Name, Id);

    /// <summary>The lane key of a conversation of the channel stored as <paramref name="channel"/>.</summary>
    public static string LaneOf(string channel, string id) => $"{channel}:{id}";

    /// <summary>Reads a lane key; throws <see cref="ArgumentOutOfRangeException"/> when it is not one.</summary>
    public static ConversationKey FromLane(string lane) =>
        TryFromLane(lane, out var key) ? key : throw new ArgumentOutOfRangeException(nameof(lane), lane, "Not a lane key");

    /// <summary>Reads <c>channel:id</c> (a channel name, a colon, a non-empty id).</summary>
    public static bool TryFromLane(string lane, out ConversationKey key)
    {
        var colon = lane.IndexOf(':', StringComparison.Ordinal);
        var channel = colon > 0 ? lane[..colon] : null;
        key = Channel.IsValid(channel) && colon < lane.Length - 1 ? new(new Channel(channel!), lane[(colon + 1)..]) : default;
        return key.Id is not null;
    }

    public override string ToString() => Lane;
}
