using BotEngine.Channels;

namespace BotEngine.Conversations;

/// <summary>Names one conversation: its lane in the queue, its actor and its persistence id.</summary>
public readonly record struct ConversationKey(Channel Channel, string Id)
{
    public string PersistenceId => $"conversation-{Channel.Name()}-{Id}";

    public string ActorName => Uri.EscapeDataString(PersistenceId);

    /// <summary>The lane key stored in the queue: <c>line:U1234…</c>.</summary>
    public string Lane => $"{Channel.Name()}:{Id}";

    public static ConversationKey FromLane(string lane)
    {
        var colon = lane.IndexOf(':', StringComparison.Ordinal);
        return new(ChannelNames.Parse(lane[..colon]), lane[(colon + 1)..]);
    }

    public override string ToString() => Lane;
}
