using System.Text.Json.Nodes;

namespace BotEngine.Tests.Support;

// Message objects as messaging-api.yml describes them (Message: text | template, QuickReply, Action: message |
// postback), with the limits LINE's reference states; anything else is refused like LINE refuses it (400).
public sealed partial class FakeLineApi
{
    private const int MaxLabel = 20;
    private const int MaxAltText = 400;
    private const int MaxActionText = 300;

    /// <summary>The first invalid property of a message as LINE would name it (<c>text</c>, <c>template.actions</c>), else null.</summary>
    private static string? InvalidProperty(JsonNode? node)
    {
        if (node is not JsonObject m) return "";
        if (m["quickReply"] is { } quick && InvalidQuickReply(quick) is { } q) return "quickReply" + q;
        return Text(m["type"]) switch
        {
            "text" => Text(m["text"]) is { Length: > 0 and <= MaxTextLength } ? null : "text",
            "template" => Text(m["altText"]) is not { Length: > 0 and <= MaxAltText } ? "altText"
                : InvalidTemplate(m["template"]) is { } t ? "template" + t : null,
            _ => "type",
        };
    }

    private static string? InvalidQuickReply(JsonNode quick)
    {
        if (quick is not JsonObject q || q["items"] is not JsonArray { Count: >= 1 and <= 13 } items) return ".items";
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || Text(item["type"]) != "action") return $".items[{i}].type";
            if (InvalidAction(item["action"]) is { } a) return $".items[{i}].action{a}";
        }
        return null;
    }

    private static string? InvalidTemplate(JsonNode? node)
    {
        if (node is not JsonObject t) return "";
        var (textMax, min, max) = Text(t["type"]) switch
        {
            "buttons" when t["title"] is not null => (60, 1, 4),
            "buttons" => (160, 1, 4),
            "confirm" => (240, 2, 2),
            _ => (-1, 0, 0),
        };
        if (textMax < 0) return ".type";
        if (t["title"] is { } title && Text(title) is not { Length: > 0 and <= 40 }) return ".title";
        if (Text(t["text"]) is not { Length: > 0 } text || text.Length > textMax) return ".text";
        if (t["actions"] is not JsonArray actions || actions.Count < min || actions.Count > max) return ".actions";
        for (var i = 0; i < actions.Count; i++)
        {
            if (InvalidAction(actions[i]) is { } a) return $".actions[{i}]{a}";
        }
        return null;
    }

    private static string? InvalidAction(JsonNode? node)
    {
        if (node is not JsonObject a) return "";
        if (Text(a["label"]) is not { Length: > 0 and <= MaxLabel }) return ".label";
        return Text(a["type"]) switch
        {
            "message" => Text(a["text"]) is { Length: > 0 and <= MaxActionText } ? null : ".text",
            "postback" => Text(a["data"]) is not { Length: <= 300 } ? ".data"
                : a["displayText"] is { } d && Text(d) is not { Length: > 0 and <= MaxActionText } ? ".displayText" : null,
            _ => ".type",
        };
    }

    /// <summary>What a person reads: the text, or a template's altText.</summary>
    private static string ShownText(JsonObject message) =>
        Text(message["type"]) == "template" ? Text(message["altText"])! : Text(message["text"])!;
}
