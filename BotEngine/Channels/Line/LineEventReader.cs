using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using static BotEngine.Channels.Line.LineJson;

namespace BotEngine.Channels.Line;

/// <summary>
/// Reads one element of <c>events</c> (schema <c>Event</c> and its 19 subtypes in LINE's OpenAPI spec (github.com/line/line-openapi, <c>webhook.yml</c>)).
/// Only what the engine uses is checked; the event's full JSON travels on verbatim as the payload.
/// </summary>
internal static class LineEventReader
{
    /// <summary>
    /// The lane of events that have no <c>source</c>: <c>botSuspended</c>, <c>botResumed</c>, <c>delivery</c> and
    /// some module events concern the bot itself, not a chat. They share one lane ("line:bot") so they stay in
    /// order, and have no push target (<see cref="InboundEvent.Recipient"/> is empty).
    /// </summary>
    public const string BotConversation = "bot";

    private static readonly long MinUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    public static (InboundEvent? Event, MalformedEvent? Malformed) Read(JsonElement item, int index)
    {
        // The JSON reader checks structure, not the bytes inside strings: an event with broken UTF-8 is read here,
        // and only it is dead-lettered (kept with U+FFFD in place of the bad bytes, so the dead letter can be shown).
        var raw = JsonMarshal.GetRawUtf8Value(item);
        var payload = Encoding.UTF8.GetString(raw);
        string? eventId = null;
        try
        {
            if (!Utf8.IsValid(raw))
                throw new LineEventException("not valid UTF-8 (the bad bytes are kept as U+FFFD)");
            if (item.ValueKind != JsonValueKind.Object)
                throw new LineEventException($"must be an object, got {Describe(item)}");
            eventId = RequiredString(item, "webhookEventId", "webhookEventId");
            return (ReadEvent(item, eventId, payload), null);
        }
        catch (LineEventException ex)
        {
            return (null, new MalformedEvent(index, eventId ?? TryEventId(item), payload, $"event {index}: {ex.Message}"));
        }
        catch (InvalidOperationException ex)
        {
            // A string that does not decode (an escaped lone surrogate such as "\ud800"): this event only.
            return (null, new MalformedEvent(index, eventId, payload, $"event {index}: unreadable text: {ex.Message}"));
        }
    }

    private static string? TryEventId(JsonElement item)
    {
        try
        {
            return item.ValueKind == JsonValueKind.Object && item.TryGetProperty("webhookEventId", out var id)
                && id.ValueKind == JsonValueKind.String && Utf8.IsValid(JsonMarshal.GetRawUtf8Value(id))
                    ? id.GetString() is { Length: > 0 } text ? text : null
                    : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static InboundEvent ReadEvent(JsonElement item, string eventId, string payload)
    {
        if (eventId.Length == 0) throw new LineEventException("property 'webhookEventId' is empty");
        var type = RequiredString(item, "type", "type");
        var needsSource = SourceRequired(type) ?? throw new LineEventException($"unknown event type '{type}'");
        var occurredAt = ReadTimestamp(item);
        var standby = RequiredString(item, "mode", "mode") switch
        {
            "active" => false,
            "standby" => true,
            // Answering in a mode we do not know might break a chat another channel controls: dead-letter instead.
            var other => throw new LineEventException($"property 'mode' must be 'active' or 'standby', got '{other}'"),
        };
        // deliveryContext.isRedelivery is deliberately not read: dedupe is by webhookEventId alone (CONTRACT #4).
        var replyToken = OptionalString(item, "replyToken", "replyToken");
        var (conversation, recipient, userId) = ReadSource(item, needsSource);
        return new InboundEvent(
            eventId,
            conversation,
            recipient,
            ReadInput(item, type, userId),
            string.IsNullOrEmpty(replyToken) ? null : replyToken,
            standby,
            occurredAt,
            payload);
    }

    // true: a chat event that names its source; false: a module/bot event whose source is optional; null: unknown.
    private static bool? SourceRequired(string type) => type switch
    {
        "message" or "unsend" or "follow" or "unfollow" or "join" or "leave" or "memberJoined" or "memberLeft"
            or "postback" or "videoPlayComplete" or "beacon" or "accountLink" or "membership" => true,
        "module" or "activated" or "deactivated" or "botSuspended" or "botResumed" or "delivery" => false,
        _ => null,
    };

    private static DateTimeOffset ReadTimestamp(JsonElement item)
    {
        var ms = RequiredInt64(item, "timestamp", "timestamp");
        return ms >= MinUnixMs && ms <= MaxUnixMs
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new LineEventException($"property 'timestamp' is out of range: {ms}");
    }

    private static (string Conversation, string Recipient, string? UserId) ReadSource(JsonElement item, bool required)
    {
        if (OptionalObject(item, "source", "source") is not { } source)
            return required ? throw Missing("source") : (BotConversation, "", null);

        var userId = OptionalString(source, "userId", "source.userId");
        switch (RequiredString(source, "type", "source.type"))
        {
            case "user":
                var user = NonEmpty(userId, "source.userId");
                return (user, user, user);
            case "group":
                var group = NonEmpty(RequiredString(source, "groupId", "source.groupId"), "source.groupId");
                return ("group:" + group, group, userId);
            case "room":
                var room = NonEmpty(RequiredString(source, "roomId", "source.roomId"), "source.roomId");
                return ("room:" + room, room, userId);
            case var other:
                throw new LineEventException($"unknown source type '{other}'");
        }
    }

    private static string NonEmpty(string? value, string path) =>
        value switch
        {
            null => throw Missing(path),
            "" => throw new LineEventException($"property '{path}' is empty"),
            _ => value,
        };

    private static ConversationInput ReadInput(JsonElement item, string type, string? userId) => type switch
    {
        "message" => ReadMessage(RequiredObject(item, "message", "message"), userId),
        "postback" => new ConversationInput(
            ConversationInput.PostbackKind,
            Data: RequiredString(RequiredObject(item, "postback", "postback"), "data", "postback.data"),
            UserId: userId),
        _ => new ConversationInput(type, UserId: userId),
    };

    private static ConversationInput ReadMessage(JsonElement message, string? userId)
    {
        var type = RequiredString(message, "type", "message.type");
        RequiredString(message, "id", "message.id");
        // Any other type (image, video, audio, file, location, sticker today, or one newer than the spec) reaches
        // the flow as "message.<type>", which may ignore it: its content is in the payload, not needed here.
        return type == "text"
            ? new ConversationInput(ConversationInput.TextKind, Text: RequiredString(message, "text", "message.text"),
                UserId: userId)
            : new ConversationInput("message." + type, UserId: userId);
    }
}
