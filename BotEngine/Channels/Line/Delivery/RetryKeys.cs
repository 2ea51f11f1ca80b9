using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Channels.Line.Delivery;

/// <summary>
/// An answer of more than five messages goes out in several requests, each needing its own retry key. They are
/// derived from the event's stored key, so they are as stable across restarts as the stored key itself.
/// </summary>
internal static class RetryKeys
{
    // LINE keeps a retry key 24 h after its first request
    // (https://developers.line.biz/en/reference/messaging-api/#retry-api-request); a later resend could be delivered
    // twice. An hour of margin: after 23 h the engine stops reusing the key.
    private static readonly TimeSpan Life = TimeSpan.FromHours(23);

    /// <summary>Whether a key first sent at <paramref name="firstAttemptAt"/> (Unix ms) is too old to be reused now:
    /// a request that may have gone out under it can no longer be resent safely.</summary>
    public static bool Expired(long firstAttemptAt, DateTimeOffset now) =>
        now - DateTimeOffset.FromUnixTimeMilliseconds(firstAttemptAt) > Life;

    public static Guid ForPart(string storedKey, int part)
    {
        if (part == 0)
        {
            return Guid.Parse(storedKey);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{storedKey}/{part}"), hash);
        var bytes = hash[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout (Guid's byte order puts it here)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
