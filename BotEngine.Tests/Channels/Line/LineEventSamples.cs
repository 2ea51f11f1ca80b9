namespace BotEngine.Tests.Channels.Line;

/// <summary>
/// One event of each of the 19 types in LINE's OpenAPI spec (github.com/line/line-openapi, <c>webhook.yml</c>), with every property its schema requires.
/// User <c>U1…</c> in 1:1 chats, group <c>C1…</c>, room <c>R1…</c>.
/// </summary>
internal static class LineEventSamples
{
    public const string UserId = "U11111111111111111111111111111111";
    public const string GroupId = "C11111111111111111111111111111111";
    public const string RoomId = "R11111111111111111111111111111111";
    public const long Timestamp = 1_700_000_000_123;

    private const string User = $$"""{"type":"user","userId":"{{UserId}}"}""";
    private const string Group = $$"""{"type":"group","groupId":"{{GroupId}}","userId":"{{UserId}}"}""";
    private const string GroupNoUser = $$"""{"type":"group","groupId":"{{GroupId}}"}""";
    private const string Room = $$"""{"type":"room","roomId":"{{RoomId}}","userId":"{{UserId}}"}""";

    /// <summary>(type, JSON, expected input kind, expected lane id, has reply token).</summary>
    public static TheoryData<string, string, string, string, bool> All => new()
    {
        { "message", Common("message", Group, "rt-msg", """
            "message":{"type":"text","id":"468789577898262530","quoteToken":"q3Plxr4","text":"@example Hello",
              "mention":{"mentionees":[{"index":0,"length":8,"type":"user","userId":"U49585cd0d5","isSelf":false}]}}
            """), "text", "group:" + GroupId, true },
        { "unsend", Common("unsend", Group, null, """ "unsend":{"messageId":"325708"} """), "unsend",
            "group:" + GroupId, false },
        { "follow", Common("follow", User, "rt-follow", """ "follow":{"isUnblocked":false} """), "follow", UserId, true },
        { "unfollow", Common("unfollow", User, null, null), "unfollow", UserId, false },
        { "join", Common("join", GroupNoUser, "rt-join", null), "join", "group:" + GroupId, true },
        { "leave", Common("leave", GroupNoUser, null, null), "leave", "group:" + GroupId, false },
        { "memberJoined", Common("memberJoined", Room.Replace($",\"userId\":\"{UserId}\"", "", StringComparison.Ordinal),
            "rt-mj", $$""" "joined":{"members":[{"type":"user","userId":"{{UserId}}"}]} """), "memberJoined",
            "room:" + RoomId, true },
        { "memberLeft", Common("memberLeft", GroupNoUser, null,
            $$""" "left":{"members":[{"type":"user","userId":"{{UserId}}"}]} """), "memberLeft", "group:" + GroupId, false },
        { "postback", Common("postback", User, "rt-pb",
            """ "postback":{"data":"action=buy&itemid=111","params":{"datetime":"2017-12-25T01:00"}} """),
            "postback", UserId, true },
        { "videoPlayComplete", Common("videoPlayComplete", User, "rt-vpc",
            """ "videoPlayComplete":{"trackingId":"track-id"} """), "videoPlayComplete", UserId, true },
        { "beacon", Common("beacon", User, "rt-beacon", """ "beacon":{"hwid":"d41d8cd98f","type":"enter"} """),
            "beacon", UserId, true },
        { "accountLink", Common("accountLink", User, "rt-link", """ "link":{"result":"ok","nonce":"xxxxxxxxxxxxxxx"} """),
            "accountLink", UserId, true },
        { "membership", Common("membership", User, "rt-member", """ "membership":{"type":"joined","membershipId":3189} """),
            "membership", UserId, true },
        { "module", Common("module", User, null,
            """ "module":{"type":"attached","botId":"U0123","scopes":["message:send"]} """), "module", UserId, false },
        { "activated", Common("activated", User, null, """ "chatControl":{"expireAt":1609327707822} """), "activated",
            UserId, false },
        { "deactivated", Common("deactivated", User, null, null), "deactivated", UserId, false },
        { "botSuspended", Common("botSuspended", null, null, null), "botSuspended", "bot", false },
        { "botResumed", Common("botResumed", null, null, null), "botResumed", "bot", false },
        { "delivery", Common("delivery", null, null, """ "delivery":{"data":"d41d8cd98f00b204e9800998ecf8427e"} """),
            "delivery", "bot", false },
    };

    /// <summary>The common <c>Event</c> properties around <paramref name="content"/>; null source/token left out.</summary>
    public static string Common(string type, string? source, string? replyToken, string? content,
        string id = "01HZY0000000000000000000AA", string mode = "active", bool redelivery = false) =>
        "{" + string.Join(',', new[]
        {
            $"\"type\":\"{type}\"",
            content?.Trim(),
            $"\"webhookEventId\":\"{id}\"",
            $"\"deliveryContext\":{{\"isRedelivery\":{(redelivery ? "true" : "false")}}}",
            $"\"timestamp\":{Timestamp}",
            source is null ? null : $"\"source\":{source}",
            replyToken is null ? null : $"\"replyToken\":\"{replyToken}\"",
            $"\"mode\":\"{mode}\"",
        }.Where(part => part is not null)) + "}";
}
