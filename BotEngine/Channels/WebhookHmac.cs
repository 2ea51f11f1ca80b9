using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Channels;

/// <summary>
/// The HMAC-SHA256 of a webhook's raw body keyed with the channel's secret, as the platforms that sign their webhooks
/// compute it. Each channel reads its own header (its encoding, its prefix) into the hash bytes; the check is here.
/// It runs before anything is stored, so it allocates nothing per call.
/// </summary>
internal static class WebhookHmac
{
    public const int HashBytes = HMACSHA256.HashSizeInBytes;

    /// <summary>The key bytes of a secret, derived once (options never change); null when unset: nothing passes.</summary>
    public static byte[]? Key(string? secret) => string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    /// <summary>Whether <paramref name="given"/> is the HMAC of <paramref name="body"/> under <paramref name="key"/>.</summary>
    public static bool Matches(byte[]? key, ReadOnlySpan<byte> given, ReadOnlySpan<byte> body)
    {
        if (key is null || given.Length != HashBytes) return false;
        Span<byte> expected = stackalloc byte[HashBytes];
        HMACSHA256.HashData(key, body, expected);
        // Constant time: a forged signature must not learn how many of its leading bytes were right.
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>The HMAC a platform sends for <paramref name="body"/> (tests and benchmarks sign with it).</summary>
    public static byte[] Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
    }
}
