using System.Globalization;
using System.Text.Json;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Splits a Telegram webhook body: one Update per request (Bot API docs). The event id is <c>update_id</c>; the
/// conversation is the chat. A body that is not an Update becomes one malformed event.
/// </summary>
internal static class TelegramUpdateParser
{
    private static readonly string[] MessageFields = ["message", "edited_message", "channel_post", "edited_channel_post"];

    public static ParsedBody Parse(ReadOnlySpan<byte> body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        try
        {
            using var document = JsonDocument.Parse(text);
            var update = document.RootElement;
            if (update.ValueKind != JsonValueKind.Object
                || !update.TryGetProperty("update_id", out var idElement) || !idElement.TryGetInt64(out var updateId))
            {
                return Malformed(null, text, "not a Telegram Update: missing integer 'update_id'");
            }

            var eventId = updateId.ToString(CultureInfo.InvariantCulture);
            return Read(update, eventId, text) is { } e
                ? new ParsedBody([e], [])
                : Malformed(eventId, text, "update has no chat to answer in");
        }
        catch (JsonException ex)
        {
            return Malformed(null, text, $"body is not JSON: {ex.Message}");
        }
    }

    private static InboundEvent? Read(JsonElement update, string eventId, string payload)
    {
        foreach (var field in MessageFields)
        {
            if (update.TryGetProperty(field, out var message))
            {
                return FromMessage(message, field == "message" || field == "channel_post" ? null : field, eventId, payload);
            }
        }

        // A tapped inline button. Its id is kept as the event's reply token: the delivery answers it
        // (answerCallbackQuery) so the button stops spinning.
        if (update.TryGetProperty("callback_query", out var callback) && callback.TryGetProperty("message", out var origin))
        {
            var chat = ChatId(origin);
            var data = callback.TryGetProperty("data", out var d) ? d.GetString() : null;
            var id = callback.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            return chat is null ? null : new InboundEvent(eventId, chat, chat,
                new ConversationInput(ConversationInput.PostbackKind, Data: data, UserId: UserId(callback)),
                string.IsNullOrEmpty(id) ? null : id, false, Date(origin), payload);
        }

        return null;
    }

    private static InboundEvent? FromMessage(JsonElement message, string? edited, string eventId, string payload)
    {
        var chat = ChatId(message);
        if (chat is null)
        {
            return null;
        }

        var input = message.TryGetProperty("text", out var text) && edited is null
            ? new ConversationInput(ConversationInput.TextKind, text.GetString(), UserId: UserId(message))
            : new ConversationInput(edited ?? "message." + ContentKind(message), UserId: UserId(message));
        return new InboundEvent(eventId, chat, chat, input, null, false, Date(message), payload);
    }

    private static string ContentKind(JsonElement message)
    {
        foreach (var kind in new[] { "photo", "sticker", "video", "voice", "audio", "document", "location", "contact" })
        {
            if (message.TryGetProperty(kind, out _))
            {
                return kind;
            }
        }

        return "other";
    }

    private static string? ChatId(JsonElement message) =>
        message.TryGetProperty("chat", out var chat) && chat.TryGetProperty("id", out var id) && id.TryGetInt64(out var value)
            ? value.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? UserId(JsonElement container) =>
        container.TryGetProperty("from", out var from) && from.TryGetProperty("id", out var id) && id.TryGetInt64(out var value)
            ? value.ToString(CultureInfo.InvariantCulture)
            : null;

    private static DateTimeOffset Date(JsonElement message) =>
        message.TryGetProperty("date", out var date) && date.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;

    private static ParsedBody Malformed(string? eventId, string payload, string error) =>
        new([], [new MalformedEvent(0, eventId, payload.Length > 65536 ? payload[..65536] : payload, error)]);
}
