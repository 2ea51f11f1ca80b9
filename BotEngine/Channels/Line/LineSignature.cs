using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>
/// Checks <c>X-Line-Signature</c>: Base64(HMAC-SHA256(key = channel secret, data = the raw request body)).
/// Runs on the request path before anything is stored, so it allocates nothing per call but the header decode.
/// </summary>
internal sealed class LineSignature(IOptions<LineOptions> options)
{
    // Null when the channel is disabled.
    private readonly byte[]? _key = WebhookHmac.Key(options.Value.ChannelSecret);

    public bool IsValid(string? header, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(header)) return false;

        // A 32-byte destination makes longer inputs fail the decode; shorter ones fail the length check.
        Span<byte> given = stackalloc byte[WebhookHmac.HashBytes];
        return Convert.TryFromBase64String(header, given, out var written)
            && WebhookHmac.Matches(_key, given[..written], body);
    }

    /// <summary>The header value LINE would send for <paramref name="body"/> (tests and benchmarks use it).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(WebhookHmac.Sign(secret, body));
}
