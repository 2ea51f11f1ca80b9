using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Admin;

/// <summary>
/// The dashboard's sign-in cookie when <c>Admin:Token</c> is set: an HMAC of a fixed label under the token, so the
/// token itself is never stored in the browser, and changing the token signs every browser out. HttpOnly and
/// SameSite=Strict: scripts cannot read it and no other site's page can send it (no cross-site retry clicks).
/// </summary>
internal static class AdminCookie
{
    public const string Name = "botengine_admin";
    public const string Path = "/admin";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static bool Matches(HttpRequest request, string token) =>
        request.Cookies.TryGetValue(Name, out var value)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value), Encoding.ASCII.GetBytes(ValueFor(token)));

    public static void Issue(HttpContext http, string token)
    {
        var request = http.Request;
        http.Response.Cookies.Append(Name, ValueFor(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            // Behind a TLS proxy the request is plain HTTP; the proxy's word only makes the cookie stricter.
            Secure = request.IsHttps || request.Headers["X-Forwarded-Proto"] == "https",
            Path = Path,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    private static string ValueFor(string token) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "botengine-dashboard-v1"u8));
}
