using System.Security.Cryptography;
using System.Text;
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
    private const int HashBytes = HMACSHA256.HashSizeInBytes;

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.AppSecret)
        ? null
        : Encoding.UTF8.GetBytes(options.Value.AppSecret);

    public bool IsValid(string? header, ReadOnlySpan<byte> body)
    {
        if (_key is null || header is null || header.Length != Prefix.Length + 2 * HashBytes
            || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HashBytes];
        var decoded = Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written);
        if (decoded != System.Buffers.OperationStatus.Done || written != HashBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(_key, body, expected);
        // Constant time: a forged signature must not learn how many of its leading bytes were right.
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The header value Meta sends for <paramref name="body"/> (tests and benchmarks use it).</summary>
    public static string Sign(string appSecret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        Span<byte> hash = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }
}
