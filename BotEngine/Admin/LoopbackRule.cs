using System.Net;

namespace BotEngine.Admin;

/// <summary>
/// Without <c>Admin:Token</c>, admin access is for direct loopback requests only: the peer is a loopback address, the
/// <c>Host</c> names loopback (a page elsewhere cannot reach us through DNS rebinding), and no header says a proxy
/// forwarded the request. A reverse proxy on the same machine connects from loopback on behalf of anyone, so any of
/// <see cref="ProxyHeaders"/> means "not direct" (README, "Admin access").
/// </summary>
internal static class LoopbackRule
{
    /// <summary>
    /// Headers that proxies add (standard, de-facto and CDN ones). A direct local client (curl, a browser on the
    /// machine) sends none of them; a proxy sends at least one, often several.
    /// </summary>
    public static IReadOnlyList<string> ProxyHeaders { get; } =
    [
        "Forwarded",           // RFC 7239
        "Via",                 // RFC 9110: every HTTP proxy should add it
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix",
        "X-Forwarded-Server", "X-Forwarded-Ssl", "X-Real-IP", "X-Client-IP", "X-Original-Forwarded-For",
        "X-Original-Host", "X-Original-URL", "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP",
        "X-Cluster-Client-IP", "X-ProxyUser-Ip",
    ];

    public static bool IsDirect(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
        && IsLoopbackHost(http.Request.Host)
        && !ProxyHeaders.Any(http.Request.Headers.ContainsKey);

    private static bool IsLoopbackHost(HostString host) =>
        host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1"
        || (IPAddress.TryParse(host.Host, out var address) && IPAddress.IsLoopback(address));
}
