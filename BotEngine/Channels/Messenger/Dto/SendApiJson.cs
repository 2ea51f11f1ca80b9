using System.Text.Json.Serialization;

namespace BotEngine.Channels.Messenger.Dto;

/// <summary>A Send API request: <c>POST /{version}/me/messages</c> (Meta's Send API reference).</summary>
internal sealed record SendRequest(SendRecipient Recipient, string MessagingType, SendMessage Message);

internal sealed record SendRecipient(string Id);

/// <summary>Text or a template attachment, with quick replies under it.</summary>
internal sealed record SendMessage(
    string? Text = null, SendAttachment? Attachment = null, IReadOnlyList<SendQuickReply>? QuickReplies = null);

internal sealed record SendQuickReply(string ContentType, string Title, string Payload);

internal sealed record SendAttachment(string Type, ButtonTemplate Payload);

internal sealed record ButtonTemplate(string TemplateType, string Text, IReadOnlyList<PostbackButton> Buttons);

internal sealed record PostbackButton(string Type, string Title, string Payload);

/// <summary>
/// The Graph API's error body: <c>{"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}</c>.
/// </summary>
internal sealed record GraphErrorBody(GraphError? Error);

internal sealed record GraphError(
    string? Message, string? Type, int? Code, int? ErrorSubcode, bool? IsTransient, string? FbtraceId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendRequest))]
[JsonSerializable(typeof(GraphErrorBody))]
internal sealed partial class SendApiJson : JsonSerializerContext;
