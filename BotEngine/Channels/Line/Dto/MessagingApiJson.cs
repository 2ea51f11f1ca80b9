using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Channels.Line.Dto;

// Shapes from LINE's OpenAPI spec (github.com/line/line-openapi, messaging-api.yml), reduced to the fields the engine sends or reads.

/// <summary><c>ReplyMessageRequest</c>: <c>POST /v2/bot/message/reply</c>.</summary>
internal sealed record ReplyMessageRequest(string ReplyToken, IReadOnlyList<LineMessage> Messages);

/// <summary><c>PushMessageRequest</c>: <c>POST /v2/bot/message/push</c>.</summary>
internal sealed record PushMessageRequest(string To, IReadOnlyList<LineMessage> Messages);

/// <summary>
/// <c>Message</c>: the <c>text</c> branch (<c>TextMessage</c>: text) or the <c>template</c> branch
/// (<c>TemplateMessage</c>: altText, template), each with an optional <c>quickReply</c>.
/// </summary>
internal sealed record LineMessage(
    [property: JsonPropertyOrder(-1)] string Type,
    string? Text = null,
    string? AltText = null,
    LineTemplate? Template = null,
    LineQuickReply? QuickReply = null);

/// <summary><c>ButtonsTemplate</c> (title, text, 1-4 actions) or <c>ConfirmTemplate</c> (text, 2 actions).</summary>
internal sealed record LineTemplate(string Type, string Text, IReadOnlyList<LineAction> Actions, string? Title = null);

/// <summary><c>MessageAction</c> (label, text) or <c>PostbackAction</c> (label, data, displayText).</summary>
internal sealed record LineAction(
    [property: JsonPropertyOrder(-1)] string Type,
    string Label,
    string? Text = null,
    string? Data = null,
    string? DisplayText = null);

/// <summary><c>QuickReply</c>: up to 13 <c>QuickReplyItem</c>s.</summary>
internal sealed record LineQuickReply(IReadOnlyList<LineQuickReplyItem> Items);

internal sealed record LineQuickReplyItem(LineAction Action)
{
    [JsonPropertyOrder(-1)] public string Type { get; init; } = "action";
}

/// <summary><c>ErrorResponse</c>: the body of every non-2xx answer.</summary>
internal sealed record ErrorResponse(
    string? Message,
    IReadOnlyList<ErrorDetail>? Details = null,
    IReadOnlyList<SentMessage>? SentMessages = null);

internal sealed record ErrorDetail(string? Message, string? Property);

internal sealed record SentMessage(string Id, string? QuoteToken);

/// <summary><c>MessageQuotaResponse</c>: <c>type</c> <c>none</c> or <c>limited</c> (then <c>value</c>, the month's limit).</summary>
internal sealed record MessageQuotaResponse(string Type, long? Value);

/// <summary><c>QuotaConsumptionResponse</c>: messages sent this month.</summary>
internal sealed record QuotaConsumptionResponse(long TotalUsage);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReplyMessageRequest))]
[JsonSerializable(typeof(PushMessageRequest))]
[JsonSerializable(typeof(LineMessage[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MessageQuotaResponse))]
[JsonSerializable(typeof(QuotaConsumptionResponse))]
internal sealed partial class MessagingApiJson : JsonSerializerContext;
