using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Tests.Channels.Messenger;

/// <summary>Messenger webhook items and bodies, shaped as Meta's Messenger Platform webhook reference shows them.</summary>
internal static class MessengerFixtures
{
    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string NewPsid() => Random.Shared.NextInt64(1_000_000_000_000_000, 9_999_999_999_999_999)
        .ToString(CultureInfo.InvariantCulture);

    public static string NewMid() => "m_" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    public static string Text(string psid, string text, string? mid = null, long? timestamp = null) =>
        Item(psid, timestamp, "message", new JsonObject { ["mid"] = mid ?? NewMid(), ["text"] = text });

    public static string QuickReply(string psid, string title, string payload, string? mid = null) =>
        Item(psid, null, "message", new JsonObject
        {
            ["mid"] = mid ?? NewMid(), ["text"] = title, ["quick_reply"] = new JsonObject { ["payload"] = payload },
        });

    public static string Postback(string psid, string payload, string? mid = null, long? timestamp = null)
    {
        var postback = new JsonObject { ["title"] = "Yes", ["payload"] = payload };
        if (mid is not null) postback["mid"] = mid;
        return Item(psid, timestamp, "postback", postback);
    }

    public static string Image(string psid) => Item(psid, null, "message", new JsonObject
    {
        ["mid"] = NewMid(),
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["type"] = "image", ["payload"] = new JsonObject { ["url"] = "https://scontent.example/1.jpg" },
        }),
    });

    /// <summary>The page's own message, echoed back: sender and recipient swapped.</summary>
    public static string Echo(string psid, string text) => new JsonObject
    {
        ["sender"] = new JsonObject { ["id"] = FakeGraphApi.PageId },
        ["recipient"] = new JsonObject { ["id"] = psid },
        ["timestamp"] = Now,
        ["message"] = new JsonObject { ["mid"] = NewMid(), ["is_echo"] = true, ["app_id"] = 1517776481860111, ["text"] = text },
    }.ToJsonString();

    public static string Delivery(string psid, long watermark) =>
        Item(psid, null, "delivery", new JsonObject { ["mids"] = new JsonArray(NewMid()), ["watermark"] = watermark });

    public static string Read(string psid, long watermark) =>
        Item(psid, null, "read", new JsonObject { ["watermark"] = watermark });

    public static byte[] Body(params string[] items) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["object"] = "page",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = FakeGraphApi.PageId,
            ["time"] = Now,
            ["messaging"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i))]),
        }),
    }.ToJsonString());

    private static string Item(string psid, long? timestamp, string field, JsonObject content) => new JsonObject
    {
        ["sender"] = new JsonObject { ["id"] = psid },
        ["recipient"] = new JsonObject { ["id"] = FakeGraphApi.PageId },
        ["timestamp"] = timestamp ?? Now,
        [field] = content,
    }.ToJsonString();
}
