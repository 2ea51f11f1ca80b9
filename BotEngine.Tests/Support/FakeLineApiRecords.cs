using System.Text.Json.Nodes;

namespace BotEngine.Tests.Support;

/// <summary>A reply, push or multicast as the fake LINE API parsed it, handed to <see cref="FakeLineApi.Fail"/> rules.</summary>
/// <param name="Endpoint"><see cref="FakeLineApi.Reply"/>, <see cref="FakeLineApi.Push"/> or <see cref="FakeLineApi.Multicast"/>.</param>
/// <param name="To">The push recipient (a multicast's first), else null.</param>
/// <param name="ReplyToken">The reply token, else null.</param>
/// <param name="RetryKey">The raw <c>X-Line-Retry-Key</c> header, else null.</param>
/// <param name="Texts">What each message shows: its text, or a template's altText.</param>
public sealed record FakeLineRequest(
    string Endpoint, string? To, string? ReplyToken, IReadOnlyList<string> Texts, string? RetryKey)
{
    /// <summary>The message objects as sent (type, text or altText and template, quickReply).</summary>
    public IReadOnlyList<JsonObject> Messages { get; init; } = [];

    /// <summary>Every recipient: the push's one, a multicast's list; empty for a reply.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];
}

/// <summary>One message LINE accepted, in the order of acceptance (<paramref name="Sequence"/> starts at 1); a
/// multicast gives one per recipient.</summary>
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

/// <summary>What the fake does with the next request (<see cref="FakeLineApi.Script"/>), as LINE or the network might.</summary>
public enum FakeAnswer
{
    /// <summary>Handled as LINE would (tokens, retry keys, quota).</summary>
    Accept,

    /// <summary>Handled as LINE would, but answered <see cref="FakeLineApi.LateBy"/> later: after the client gave up.</summary>
    AcceptLate,

    /// <summary>Read and dropped; no answer before the client gave up. Nothing delivered.</summary>
    DropLate,

    /// <summary>Read, then the connection is cut. Nothing delivered.</summary>
    Reset,

    /// <summary>429 Too many requests.</summary>
    RateLimited,

    /// <summary>429 "You have reached your monthly limit." (push and multicast; a reply gets a rate 429).</summary>
    QuotaExceeded,

    /// <summary>500.</summary>
    ServerError,

    /// <summary>A reply's token expires now (400 "Invalid reply token"); a push or multicast is handled as LINE would.</summary>
    ExpireToken,
}

/// <summary>A request whose client could not know what became of it; <paramref name="Delivered"/>: whether it was.</summary>
public sealed record AmbiguousRequest(string Endpoint, string? ReplyToken, IReadOnlyList<string> Recipients, bool Delivered);
