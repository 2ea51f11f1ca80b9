using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>
/// Checks <c>X-Line-Signature</c>: Base64(HMAC-SHA256(key = channel secret, data = the raw request body)).
/// Runs on the request path before anything is stored, so it allocates nothing per call but the header decode.
/// </summary>
internal sealed class LineSignature(IOptions<LineOptions> options)
{
    private const int HashBytes = HMACSHA256.HashSizeInBytes;

    // IOptions<T>.Value never changes, so the key bytes are derived once. Null when the channel is disabled.
    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ChannelSecret)
        ? null
        : Encoding.UTF8.GetBytes(options.Value.ChannelSecret);

    public bool IsValid(string? header, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(header)) return false;

        // A 32-byte destination makes longer inputs fail the decode; shorter ones are caught by the length check.
        Span<byte> given = stackalloc byte[HashBytes];
        if (!Convert.TryFromBase64String(header, given, out var written) || written != HashBytes) return false;

        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(_key, body, expected);
        // Constant time: an attacker must not learn how many leading bytes of a forged signature were right.
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The header value LINE would send for <paramref name="body"/> (tests and benchmarks use it).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Span<byte> hash = stackalloc byte[HashBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, hash);
        return Convert.ToBase64String(hash);
    }
}
