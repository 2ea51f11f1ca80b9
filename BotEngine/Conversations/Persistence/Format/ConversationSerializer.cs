using Akka.Actor;
using Akka.Serialization;

namespace BotEngine.Conversations.Persistence.Format;

/// <summary>
/// The one serializer of persisted conversation events and snapshots (bound in <c>ActorRegistration</c>):
/// protobuf bytes with a manifest per type and version (<see cref="PersistedFormat"/>), never a .NET type name.
/// </summary>
internal sealed class ConversationSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Stored in every row this serializer writes: never change it. Akka keeps ids below 100 for itself.</summary>
    public const int Id = 1107;

    public const string Name = "botengine-conversation";

    public static IReadOnlyList<Type> BoundTypes { get; } = [typeof(EventApplied), typeof(ConversationState)];

    public override int Identifier => Id;

    public override string Manifest(object o) => PersistedFormat.ManifestOf(o);

    public override byte[] ToBinary(object obj) => PersistedFormat.Write(obj);

    public override object FromBinary(byte[] bytes, string manifest) => PersistedFormat.Read(bytes, manifest);
}
