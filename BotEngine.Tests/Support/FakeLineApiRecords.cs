using System.Text.Json.Nodes;

namespace BotEngine.Tests.Support;

/// <summary>A reply or push as the fake LINE API parsed it, handed to <see cref="FakeLineApi.Fail"/> rules.</summary>
/// <param name="Endpoint"><see cref="FakeLineApi.Reply"/> or <see cref="FakeLineApi.Push"/>.</param>
/// <param name="To">The push recipient, else null.</param>
/// <param name="ReplyToken">The reply token, else null.</param>
/// <param name="RetryKey">The raw <c>X-Line-Retry-Key</c> header, else null.</param>
/// <param name="Texts">What each message shows: its text, or a template's altText.</param>
public sealed record FakeLineRequest(
    string Endpoint, string? To, string? ReplyToken, IReadOnlyList<string> Texts, string? RetryKey)
{
    /// <summary>The message objects as sent (type, text or altText and template, quickReply).</summary>
    public IReadOnlyList<JsonObject> Messages { get; init; } = [];
}

/// <summary>One message LINE accepted, in the order of acceptance (<paramref name="Sequence"/> starts at 1).</summary>
/// <param name="RequestId">The <c>x-line-request-id</c> of the request that carried it.</param>
public sealed record AcceptedMessage(
    long Sequence,
    string Endpoint,
    string? To,
    string? ReplyToken,
    string Text,
    string? RetryKey,
    string RequestId,
    DateTimeOffset AcceptedAt)
{
    /// <summary>The message object as sent: <c>type</c>, <c>text</c> or <c>altText</c> and <c>template</c>, <c>quickReply</c>.</summary>
    public JsonObject Message { get; init; } = [];

    public string Type => Message["type"]?.GetValue<string>() ?? "text";
}
