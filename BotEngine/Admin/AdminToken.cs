using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Admin;

/// <summary>Comparing a candidate with <c>Admin:Token</c>, and the token's fingerprint kept in sign-in cookies.</summary>
internal static class AdminToken
{
    public static bool IsSet(AdminOptions options) => !string.IsNullOrEmpty(options.Token);

    /// <summary>Constant-time; false when no token is configured.</summary>
    public static bool Matches(AdminOptions options, string? candidate) =>
        IsSet(options) && candidate is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(options.Token!));

    /// <summary>
    /// An HMAC of a fixed label under the token: a cookie carries this (encrypted) instead of the token, and a cookie
    /// issued under another token no longer matches, so changing the token signs every browser out.
    /// </summary>
    public static string? Fingerprint(AdminOptions options) => IsSet(options)
        ? Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Token!), "botengine-admin-session-v1"u8))
        : null;
}
