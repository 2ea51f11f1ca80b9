using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using BotEngine.Channels;
using BotEngine.Conversations;

namespace BotEngine.Cluster;

/// <summary>
/// The conversation commands and answers that cross the network in cluster mode, as JSON with a short manifest per
/// type. Akka's default (Newtonsoft with .NET type names) failed on an answer with quick replies: a collection
/// expression's compiler-made list type has no constructor it can use, so the remote Ask timed out (bench/cluster.sh
/// dead-lettered booking answers). The manifests name the message, not the .NET type, so a rename stays compatible.
/// </summary>
internal sealed class WireSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 1108; // never change it: nodes of two builds must agree

    public const string Name = "botengine-wire";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        Converters = { new ChannelAsName() },
    };

    private static readonly Dictionary<string, Type> Types = new()
    {
        ["handle"] = typeof(HandleEvent),
        ["handled"] = typeof(EventHandled),
        ["get"] = typeof(GetConversation),
        ["view"] = typeof(ConversationView),
        ["reset"] = typeof(ResetConversation),
        ["was-reset"] = typeof(ConversationReset),
        ["unreadable"] = typeof(ConversationUnreadable),
    };

    private static readonly Dictionary<Type, string> Manifests = Types.ToDictionary(p => p.Value, p => p.Key);

    public static IReadOnlyList<Type> BoundTypes { get; } = [.. Types.Values];

    public override int Identifier => Id;

    public override string Manifest(object o) => Manifests.TryGetValue(o.GetType(), out var manifest)
        ? manifest
        : throw new ArgumentException($"{o.GetType()} is not a wire message", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) => Types.TryGetValue(manifest, out var type)
        ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"empty {manifest} message")
        : throw new SerializationException($"unknown wire manifest \"{manifest}\"");

    // A channel travels as its stored name ("line"): the struct has no constructor System.Text.Json could bind, so
    // its name came back null.
    private sealed class ChannelAsName : JsonConverter<Channel>
    {
        public override Channel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("a channel name is a string"));

        public override void Write(Utf8JsonWriter writer, Channel value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Name);
    }
}
