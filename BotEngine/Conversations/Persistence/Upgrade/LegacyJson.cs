using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.Serialization;
using System.Text.Json;
using BotEngine.Channels;

namespace BotEngine.Conversations.Persistence.Upgrade;

/// <summary>
/// Reads the payloads earlier builds persisted with Akka's default serializer (Newtonsoft JSON, serializer id 1):
/// objects carry <c>$type</c> (.NET type names) and <c>$id</c>/<c>$ref</c>; collections are arrays or
/// <c>{"$type": …, "$values": [...]}</c>, including C# collection-expression types no reader can construct. Only
/// property names matter here, never the type names, so every such row is readable.
/// </summary>
internal static class LegacyJson
{
    public const int NewtonsoftSerializerId = 1;

    public static object Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var reader = new Reader(document.RootElement);
        var type = document.RootElement.TryGetProperty("$type", out var t) ? t.GetString() ?? "" : "";
        return type switch
        {
            _ when type.StartsWith("BotEngine.Conversations.EventApplied,", StringComparison.Ordinal) => reader.EventApplied(),
            _ when type.StartsWith("BotEngine.Conversations.ConversationState,", StringComparison.Ordinal) => reader.State(),
            _ => throw new SerializationException($"Not a conversation payload of an earlier build: $type '{type}'"),
        };
    }

    private sealed class Reader
    {
        private readonly JsonElement _root;
        private readonly Dictionary<string, JsonElement> _byId = [];

        public Reader(JsonElement root)
        {
            _root = root;
            Collect(root);
        }

        public EventApplied EventApplied() => new(
            String(_root, "EventId"), Long(_root, "QueueId"), Bot(Property(_root, "State")),
            List(_root, "Messages", Message), List(_root, "Timers", Timer));

        public ConversationState State() => new(
            Bot(Property(_root, "Bot")),
            List(_root, "Recent", e => new AppliedEvent(
                String(e, "EventId"), Long(e, "QueueId"), List(e, "Messages", Message), List(e, "Timers", Timer)))
                .ToImmutableList());

        private BotState Bot(JsonElement? state)
        {
            if (state is not { } s) return BotState.Initial;
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Property(s, "Variables") is { ValueKind: JsonValueKind.Object } v)
            {
                foreach (var p in v.EnumerateObject().Where(p => !p.Name.StartsWith('$')))
                    variables[p.Name] = p.Value.GetString() ?? "";
            }

            return new(String(s, "Step"), variables);
        }

        private OutboundMessage Message(JsonElement m)
        {
            var quick = List(m, "QuickReplies", q => new QuickReply(String(q, "Label"), Optional(q, "Text"), Optional(q, "Data")));
            var template = Property(m, "Template") is { ValueKind: JsonValueKind.Object } t
                ? new MessageTemplate(String(t, "Kind"),
                    List(t, "Actions", a => new TemplateAction(String(a, "Label"), Optional(a, "Text"), Optional(a, "Data"))),
                    Optional(t, "Title"))
                : null;
            return new(String(m, "Text"), quick.Length == 0 ? null : quick, template);
        }

        private TimerCommand Timer(JsonElement t) => new(String(t, "Name"),
            Optional(t, "After") is { } after ? TimeSpan.Parse(after, CultureInfo.InvariantCulture) : null);

        private T[] List<T>(JsonElement owner, string name, Func<JsonElement, T> read)
        {
            var value = Property(owner, name);
            if (value is { ValueKind: JsonValueKind.Object } wrapped && wrapped.TryGetProperty("$values", out var values))
                value = values;
            return value is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(e => read(Resolve(e))).ToArray() : [];
        }

        private JsonElement? Property(JsonElement owner, string name) =>
            owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Resolve(value) : null;

        private string String(JsonElement owner, string name) => Optional(owner, name)
            ?? throw new SerializationException($"Earlier build's payload lacks {name}");

        private string? Optional(JsonElement owner, string name) => Property(owner, name) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()
            : null;

        private long Long(JsonElement owner, string name) => Property(owner, name)?.GetInt64() ?? 0;

        private JsonElement Resolve(JsonElement value) =>
            value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$ref", out var id)
                ? _byId.GetValueOrDefault(id.GetString() ?? "")
                : value;

        private void Collect(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("$id", out var id) && id.GetString() is { } key) _byId[key] = element;
                foreach (var property in element.EnumerateObject()) Collect(property.Value);
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Collect(item);
            }
        }
    }
}
