using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Reads one <c>messaging</c> item. The event id is <c>message.mid</c> (or <c>postback.mid</c>): Meta redelivers the
/// same mid, also after a fast 200. Items without one (delivery and read receipts, reactions, referrals) get a stable id
/// from their content. The conversation is the page and the user (PSID): one lane each.
/// </summary>
internal static class MessengerItemReader
{
    private const string EchoKind = "message.echo";
    private static readonly HashSet<string> Envelope =
        new(["sender", "recipient", "timestamp"], StringComparer.Ordinal);

    public static (InboundEvent? Event, MalformedEvent? Malformed) Read(
        JsonElement item, string page, long? entryTime, bool standby, int index)
    {
        var payload = item.GetRawText();
        string? eventId = null;
        try
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"must be an object, got {item.ValueKind}");
            }

            eventId = Mid(item, "message") ?? Mid(item, "postback");
            var sender = RequiredId(item, "sender");
            var recipient = RequiredId(item, "recipient");
            var timestamp = item.TryGetProperty("timestamp", out var t) && t.TryGetInt64(out var ms) ? ms
                : entryTime ?? throw new FormatException("has no integer 'timestamp'");
            eventId ??= ContentId(page, sender, timestamp, payload);
            var (kind, silent) = Kind(item);
            // An echo is the page's own message: its sender is the page, the conversation is with its recipient.
            var user = kind == EchoKind ? recipient : sender;
            var input = Input(item, kind, user);
            return (new InboundEvent(eventId, $"{page}:{user}", user, input, null, standby || silent,
                DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(timestamp, 0, 253_402_300_799_999)), payload), null);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return (null, new MalformedEvent(index, eventId, payload, $"item {index}: {ex.Message}"));
        }
    }

    // Echoes and receipts are stored (deduplication, audit) but never answered.
    private static (string Kind, bool Silent) Kind(JsonElement item)
    {
        if (item.TryGetProperty("message", out var message))
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("property 'message' must be an object");
            }

            if (message.TryGetProperty("is_echo", out var echo) && echo.ValueKind == JsonValueKind.True)
            {
                return (EchoKind, true);
            }

            if (QuickReplyPayload(message) is not null) return (ConversationInput.PostbackKind, false);
            if (message.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                return (ConversationInput.TextKind, false);
            return ("message." + AttachmentKind(message), false);
        }

        if (item.TryGetProperty("postback", out _)) return (ConversationInput.PostbackKind, false);
        if (item.TryGetProperty("delivery", out _)) return ("delivery", true);
        if (item.TryGetProperty("read", out _)) return ("read", true);
        // reaction, referral, optin, message_edit, account_linking…: the platform's own name, as LINE's event types.
        foreach (var property in item.EnumerateObject())
        {
            if (!Envelope.Contains(property.Name)) return (property.Name, false);
        }

        throw new FormatException("has no event (message, postback, delivery, read, …)");
    }

    private static ConversationInput Input(JsonElement item, string kind, string user)
    {
        if (item.TryGetProperty("message", out var message))
        {
            if (QuickReplyPayload(message) is { } tapped) return MessengerPayload.Read(tapped, user);
            return kind == ConversationInput.TextKind
                ? new ConversationInput(kind, message.GetProperty("text").GetString(), UserId: user)
                : new ConversationInput(kind, UserId: user);
        }

        if (kind != ConversationInput.PostbackKind) return new ConversationInput(kind, UserId: user);
        var postback = item.GetProperty("postback");
        return postback.ValueKind == JsonValueKind.Object && postback.TryGetProperty("payload", out var data)
            && data.ValueKind == JsonValueKind.String
            ? MessengerPayload.Read(data.GetString()!, user)
            : throw new FormatException("postback has no string 'payload'");
    }

    private static string? QuickReplyPayload(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("quick_reply", out var quick)
        && quick.ValueKind == JsonValueKind.Object && quick.TryGetProperty("payload", out var payload)
        && payload.ValueKind == JsonValueKind.String ? payload.GetString() : null;

    // message.image, message.audio, message.video, message.file, message.location, message.sticker, …
    private static string AttachmentKind(JsonElement message)
    {
        if (!message.TryGetProperty("attachments", out var attachments) || attachments.ValueKind != JsonValueKind.Array
            || attachments.GetArrayLength() == 0 || attachments[0].ValueKind != JsonValueKind.Object
            || !attachments[0].TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return "other";
        }

        var first = attachments[0];
        var sticker = first.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("sticker_id", out _);
        return sticker ? "sticker" : type.GetString()!;
    }

    private static string? Mid(JsonElement item, string field) =>
        item.TryGetProperty(field, out var container) && container.ValueKind == JsonValueKind.Object
        && container.TryGetProperty("mid", out var mid) && mid.ValueKind == JsonValueKind.String
        && mid.GetString() is { Length: > 0 } value ? value : null;

    private static string RequiredId(JsonElement item, string field) =>
        item.TryGetProperty(field, out var party) && party.ValueKind == JsonValueKind.Object
        && party.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
        && id.GetString() is { Length: > 0 } value
            ? value
            : throw new FormatException($"has no string '{field}.id'");

    // The same item redelivered has the same page, sender, time and JSON, so the same id.
    private static string ContentId(string page, string sender, long timestamp, string payload)
    {
        var text = string.Join('\n', page, sender, timestamp.ToString(CultureInfo.InvariantCulture), payload);
        return "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
