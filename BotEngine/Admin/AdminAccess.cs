using System.Net;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Hosting;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>
/// The admin API and dashboard answer, when <c>Admin:Token</c> is set, a bearer token or the dashboard's sign-in
/// cookie (<see cref="AdminCookie"/>); without a token, only requests from loopback. A write that a browser marks as
/// sent by another site (<c>Sec-Fetch-Site: cross-site</c>) is refused either way.
/// </summary>
internal sealed class AdminAccess(IOptions<AdminOptions> options) : IEndpointFilter
{
    public bool RequiresToken => !string.IsNullOrEmpty(options.Value.Token);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return IsAllowed(http) ? await next(context) : Results.Unauthorized();
    }

    public bool IsAllowed(HttpContext http)
    {
        if (IsCrossSiteWrite(http.Request)) return false;
        var token = options.Value.Token;
        if (string.IsNullOrEmpty(token))
        {
            // A local reverse proxy makes every request look like loopback; one that says it forwarded is not.
            // A loopback Host also stops a page elsewhere from reaching us through DNS rebinding.
            return http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip) && IsLoopbackHost(http.Request.Host)
                && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");
        }

        return HasBearerToken(http.Request) || AdminCookie.Matches(http.Request, token);
    }

    /// <summary>The given value is the configured token (constant-time); false when none is configured.</summary>
    public bool IsToken(string? candidate)
    {
        var token = options.Value.Token;
        return !string.IsNullOrEmpty(token) && candidate is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Signs a browser in (after <see cref="IsToken(string?)"/>): see <see cref="AdminCookie"/>.</summary>
    public void IssueCookie(HttpContext http) =>
        AdminCookie.Issue(http, options.Value.Token ?? throw new InvalidOperationException("No Admin:Token is set."));

    private bool HasBearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && IsToken(header[Scheme.Length..].Trim());
    }

    private static bool IsLoopbackHost(HostString host) =>
        host.Host is "localhost" or "127.0.0.1" or "[::1]" or "::1"
        || (IPAddress.TryParse(host.Host, out var address) && IPAddress.IsLoopback(address));

    private static bool IsCrossSiteWrite(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
        && request.Headers["Sec-Fetch-Site"] == "cross-site";
}
