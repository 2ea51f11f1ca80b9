namespace BotEngine.Admin;

/// <summary>
/// Admin and dev writes must come from our own pages (or from a client that is not a browser). The sign-in cookie is
/// SameSite=Strict, but without a token the loopback rule admits any local browser tab, and a page on another site
/// can make that tab post to <c>http://127.0.0.1:8080</c>. A browser says where a request comes from in
/// <c>Sec-Fetch-Site</c>; older ones (and some privacy settings) send only <c>Origin</c> or <c>Referer</c>. A write
/// is refused unless the first of these that is present names this origin; curl and scripts send none and pass.
/// </summary>
internal static class SameOrigin
{
    public const string Refused = "cross-site write refused";

    public static bool Allows(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return true;
        }

        var headers = request.Headers;
        if (headers.TryGetValue("Sec-Fetch-Site", out var site)) return site == "same-origin";
        if (headers.TryGetValue("Origin", out var origin)) return IsOurs(origin.ToString(), request.Host);
        if (headers.TryGetValue("Referer", out var referer)) return IsOurs(referer.ToString(), request.Host);
        return true;
    }

    // "null" (a sandboxed frame, a redirect across sites) and anything unparsable are not ours. The authority is
    // compared with Host, which a TLS proxy passes on (README's nginx and Caddy configurations do).
    private static bool IsOurs(string url, HostString host) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
}
