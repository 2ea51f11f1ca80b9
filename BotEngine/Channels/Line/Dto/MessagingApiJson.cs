using System.Text.Json;
using System.Text.Json.Serialization;

namespace BotEngine.Channels.Line.Dto;

// Shapes from line/line-openapi messaging-api.yml, reduced to the fields the engine sends or reads.

/// <summary><c>ReplyMessageRequest</c>: <c>POST /v2/bot/message/reply</c>.</summary>
internal sealed record ReplyMessageRequest(string ReplyToken, IReadOnlyList<TextMessage> Messages);

/// <summary><c>PushMessageRequest</c>: <c>POST /v2/bot/message/push</c>.</summary>
internal sealed record PushMessageRequest(string To, IReadOnlyList<TextMessage> Messages);

/// <summary><c>TextMessage</c>, the <c>text</c> branch of the <c>Message</c> discriminator.</summary>
internal sealed record TextMessage(string Text)
{
    [JsonPropertyOrder(-1)] public string Type { get; init; } = "text";
}

/// <summary><c>ErrorResponse</c>: the body of every non-2xx answer.</summary>
internal sealed record ErrorResponse(
    string? Message,
    IReadOnlyList<ErrorDetail>? Details = null,
    IReadOnlyList<SentMessage>? SentMessages = null);

internal sealed record ErrorDetail(string? Message, string? Property);

internal sealed record SentMessage(string Id, string? QuoteToken);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReplyMessageRequest))]
[JsonSerializable(typeof(PushMessageRequest))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class MessagingApiJson : JsonSerializerContext;
