using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Channels.Line;

namespace BotEngine.Tests.Support;

/// <summary>
/// LINE webhook test data shaped like LINE's OpenAPI spec (github.com/line/line-openapi, <c>webhook.yml</c>) (<c>CallbackRequest</c>, <c>Event</c>).
/// Each builder returns one event as a JSON object string; <see cref="Body"/> wraps events into a request body.
/// Ids and reply tokens are fresh and unique unless given.
/// </summary>
public static class LineFixtures
{
    /// <summary>The bot's user id every <see cref="Body"/> is addressed to (<c>U</c> + 32 hex digits).</summary>
    public const string Destination = "U0123456789abcdef0123456789abcdef";

    // LINE sends raw UTF-8 (Japanese text is not \u-escaped); the relaxed encoder writes it the same way.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string TextEvent(string userId, string text, string? eventId = null, string? replyToken = null,
        bool redelivery = false, string mode = "active", long? timestampMs = null) =>
        Event("message", UserSource(userId), eventId, redelivery, mode, timestampMs, replyToken ?? NewReplyToken(),
            ("message", TextMessage(text)));

    public static string GroupTextEvent(string groupId, string userId, string text, string? eventId = null,
        string? replyToken = null, bool redelivery = false, string mode = "active", long? timestampMs = null) =>
        Event("message", GroupSource(groupId, userId), eventId, redelivery, mode, timestampMs,
            replyToken ?? NewReplyToken(), ("message", TextMessage(text)));

    public static string RoomTextEvent(string roomId, string userId, string text, string? eventId = null,
        string? replyToken = null, bool redelivery = false, string mode = "active", long? timestampMs = null) =>
        Event("message", RoomSource(roomId, userId), eventId, redelivery, mode, timestampMs,
            replyToken ?? NewReplyToken(), ("message", TextMessage(text)));

    public static string StickerEvent(string userId, string? eventId = null, string? replyToken = null,
        bool redelivery = false, string mode = "active", long? timestampMs = null) =>
        Event("message", UserSource(userId), eventId, redelivery, mode, timestampMs, replyToken ?? NewReplyToken(),
            ("message", new JsonObject
            {
                ["type"] = "sticker",
                ["id"] = NewMessageId(),
                ["quoteToken"] = NewQuoteToken(),
                ["stickerId"] = "52002734",
                ["packageId"] = "11537",
                ["stickerResourceType"] = "ANIMATION",
                ["keywords"] = new JsonArray("cony", "hello"),
            }));

    public static string FollowEvent(string userId, string? eventId = null, string? replyToken = null,
        bool redelivery = false, string mode = "active", long? timestampMs = null, bool isUnblocked = false) =>
        Event("follow", UserSource(userId), eventId, redelivery, mode, timestampMs, replyToken ?? NewReplyToken(),
            ("follow", new JsonObject { ["isUnblocked"] = isUnblocked }));

    public static string UnfollowEvent(string userId, string? eventId = null, bool redelivery = false,
        string mode = "active", long? timestampMs = null) =>
        Event("unfollow", UserSource(userId), eventId, redelivery, mode, timestampMs, replyToken: null);

    public static string PostbackEvent(string userId, string data, string? eventId = null, string? replyToken = null,
        bool redelivery = false, string mode = "active", long? timestampMs = null) =>
        Event("postback", UserSource(userId), eventId, redelivery, mode, timestampMs, replyToken ?? NewReplyToken(),
            ("postback", new JsonObject { ["data"] = data }));

    /// <summary><c>{"destination":"U…","events":[…]}</c> as UTF-8 bytes, events verbatim and in order.</summary>
    public static byte[] Body(params string[] events) =>
        Encoding.UTF8.GetBytes($$"""{"destination":"{{Destination}}","events":[{{string.Join(',', events)}}]}""");

    /// <summary>The <c>X-Line-Signature</c> value for <paramref name="body"/>.</summary>
    public static string Sign(string secret, byte[] body) => LineSignature.Sign(secret, body);

    /// <summary>A fresh user id: <c>U</c> + 32 hex digits, as LINE issues them.</summary>
    public static string NewUserId() => "U" + RandomHex(16);

    public static string NewGroupId() => "C" + RandomHex(16);

    public static string NewRoomId() => "R" + RandomHex(16);

    public static string NewReplyToken() => RandomHex(16);

    /// <summary>A fresh ULID (26 Crockford base-32 characters: 48-bit milliseconds, 80 random bits).</summary>
    public static string NewEventId()
    {
        var ms = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var chars = new char[26];
        for (var i = 9; i >= 0; i--, ms >>= 5) chars[i] = Crockford[(int)(ms & 31)];
        // 80 random bits = 16 characters of 5 bits, read from the bytes most significant first.
        for (var i = 0; i < 16; i++)
        {
            var bit = i * 5;
            var pair = (random[bit / 8] << 8) | (bit / 8 + 1 < 10 ? random[bit / 8 + 1] : 0);
            chars[10 + i] = Crockford[(pair >> (11 - bit % 8)) & 31];
        }
        return new string(chars);
    }

    public static JsonObject UserSource(string userId) => new() { ["type"] = "user", ["userId"] = userId };

    public static JsonObject GroupSource(string groupId, string? userId = null) => userId is null
        ? new() { ["type"] = "group", ["groupId"] = groupId }
        : new() { ["type"] = "group", ["groupId"] = groupId, ["userId"] = userId };

    public static JsonObject RoomSource(string roomId, string? userId = null) => userId is null
        ? new() { ["type"] = "room", ["roomId"] = roomId }
        : new() { ["type"] = "room", ["roomId"] = roomId, ["userId"] = userId };

    /// <summary>
    /// Any event: the common <c>Event</c> properties plus the type's own (<paramref name="content"/>).
    /// A null <paramref name="source"/> or <paramref name="replyToken"/> leaves the property out.
    /// </summary>
    public static string Event(string type, JsonObject? source, string? eventId = null, bool redelivery = false,
        string mode = "active", long? timestampMs = null, string? replyToken = null,
        params (string Name, JsonNode Value)[] content)
    {
        var json = new JsonObject { ["type"] = type };
        foreach (var (name, value) in content) json[name] = value;
        json["webhookEventId"] = eventId ?? NewEventId();
        json["deliveryContext"] = new JsonObject { ["isRedelivery"] = redelivery };
        json["timestamp"] = timestampMs ?? TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        if (source is not null) json["source"] = source;
        if (replyToken is not null) json["replyToken"] = replyToken;
        json["mode"] = mode;
        return json.ToJsonString(Json);
    }

    private static JsonObject TextMessage(string text) => new()
    {
        ["type"] = "text",
        ["id"] = NewMessageId(),
        ["quoteToken"] = NewQuoteToken(),
        ["text"] = text,
    };

    private static string NewMessageId() => RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(
        System.Globalization.CultureInfo.InvariantCulture) + "000000000";

    private static string NewQuoteToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    private static string RandomHex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
