using System.Text;
using System.Text.Json;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Splits a Messenger webhook body (<c>{"object":"page","entry":[{"id","time","messaging":[…]}]}</c>, Meta's Messenger
/// Platform webhook reference) into events: every item of every entry's <c>messaging</c> (and <c>standby</c>, the
/// handover protocol's items for an app not in control, stored but not answered) is one event, read on its own so a
/// bad item is dead-lettered while its neighbours go on.
/// </summary>
internal static class MessengerWebhookParser
{
    // A body that is not JSON is kept for the dead-letter view, but 64 KiB is enough to see what it was.
    private const int MaxRawPayloadChars = 64 * 1024;

    // An entry's items: messages to the page, and those another app handles (standby); read once per entry.
    private static readonly (string Field, bool Standby)[] ItemFields = [("messaging", false), ("standby", true)];

    public static ParsedBody Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            // Meta sends no BOM, but one must not make a good body malformed.
            var bom = body.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            document = JsonDocument.Parse(body.AsMemory(bom));
        }
        catch (JsonException ex)
        {
            return WholeBody(body, $"body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return WholeBody(body, "body is not a JSON object");
            var kind = root.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String
                ? o.GetString()
                : null;
            if (kind != "page") return WholeBody(body, $"body property 'object' must be 'page', got '{kind}'");
            if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
                return WholeBody(body, "body has no 'entry' array");

            var events = new List<InboundEvent>();
            var malformed = new List<MalformedEvent>();
            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                index = ReadEntry(entry, index, events, malformed);
            }

            return new ParsedBody(events, malformed);
        }
    }

    // Returns the index of the next item.
    private static int ReadEntry(JsonElement entry, int index, List<InboundEvent> events, List<MalformedEvent> malformed)
    {
        var page = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        if (string.IsNullOrEmpty(page))
        {
            malformed.Add(new MalformedEvent(index, null, entry.GetRawText(), $"item {index}: its entry has no page 'id'"));
            return index + 1;
        }

        long? time = entry.TryGetProperty("time", out var t) && t.TryGetInt64(out var ms) ? ms : null;
        foreach (var (field, standby) in ItemFields)
        {
            if (!entry.TryGetProperty(field, out var items)) continue;
            if (items.ValueKind != JsonValueKind.Array)
            {
                malformed.Add(new MalformedEvent(index, null, items.GetRawText(),
                    $"item {index}: entry property '{field}' must be an array"));
                index++;
                continue;
            }

            foreach (var item in items.EnumerateArray())
            {
                var (good, bad) = MessengerItemReader.Read(item, page, time, standby, index++);
                if (good is not null) events.Add(good);
                if (bad is not null) malformed.Add(bad);
            }
        }

        return index;
    }

    private static ParsedBody WholeBody(byte[] body, string error)
    {
        var text = Encoding.UTF8.GetString(body);
        var kept = text.Length > MaxRawPayloadChars ? text[..MaxRawPayloadChars] : text;
        return new([], [new MalformedEvent(-1, null, kept, error)]);
    }
}
