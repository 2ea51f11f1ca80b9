using System.Buffers;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// Checks <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body, keyed with the app secret
/// (Meta's Webhooks docs, "Validate payloads"). Runs before anything is stored.
/// </summary>
internal sealed class MessengerSignature(IOptions<MessengerOptions> options)
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    private readonly byte[]? _key = WebhookHmac.Key(options.Value.AppSecret);

    public bool IsValid(string? header, ReadOnlySpan<byte> body)
    {
        if (_key is null || header is null || header.Length != Prefix.Length + 2 * WebhookHmac.HashBytes
            || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[WebhookHmac.HashBytes];
        var decoded = Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written);
        return decoded == OperationStatus.Done && WebhookHmac.Matches(_key, given[..written], body);
    }

    /// <summary>The header value Meta sends for <paramref name="body"/> (tests and benchmarks use it).</summary>
    public static string Sign(string appSecret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(WebhookHmac.Sign(appSecret, body));
}
