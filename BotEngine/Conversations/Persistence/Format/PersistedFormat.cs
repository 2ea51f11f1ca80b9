using System.Runtime.Serialization;

namespace BotEngine.Conversations.Persistence.Format;

/// <summary>
/// Every manifest a journal row or snapshot of a conversation may carry, each naming a type and a shape version,
/// and how each is read into today's types. Writing always uses the current version; reading knows every version
/// ever written (docs/PERSISTENCE.md: how to add one).
/// </summary>
internal static class PersistedFormat
{
    public const string EventAppliedV1 = "event-applied/1";
    public const string ConversationStateV1 = "conversation-state/1";

    /// <summary>The manifests this build writes.</summary>
    public const string EventApplied = EventAppliedV1;
    public const string ConversationState = ConversationStateV1;

    /// <summary>Every manifest this build reads, oldest first; the golden tests hold sample bytes of each.</summary>
    public static IReadOnlyList<string> Readable { get; } = [EventAppliedV1, ConversationStateV1];

    public static string ManifestOf(object value) => value switch
    {
        Conversations.EventApplied => EventApplied,
        Conversations.ConversationState => ConversationState,
        _ => throw new SerializationException($"{value.GetType().Name} is not a persisted conversation type"),
    };

    public static byte[] Write(object value) => value switch
    {
        Conversations.EventApplied e => FormatV1.Write(e),
        Conversations.ConversationState s => FormatV1.Write(s),
        _ => throw new SerializationException($"{value.GetType().Name} is not a persisted conversation type"),
    };

    /// <summary>Reads any version; an upcaster from an older version goes here as one more case.</summary>
    public static object Read(ReadOnlySpan<byte> bytes, string manifest) => manifest switch
    {
        EventAppliedV1 => FormatV1.ReadEventApplied(bytes),
        ConversationStateV1 => FormatV1.ReadConversationState(bytes),
        _ => throw new SerializationException(
            $"Unknown conversation manifest '{manifest}': written by a newer build, or not a conversation row"),
    };
}
