using System.Net;
using System.Security.Cryptography;
using System.Text;
using BotEngine.Hosting;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>The admin API answers a bearer token when <c>Admin:Token</c> is set, else only requests from loopback.</summary>
internal sealed class AdminAccess(IOptions<AdminOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return IsAllowed(http) ? await next(context) : Results.Unauthorized();
    }

    private bool IsAllowed(HttpContext http)
    {
        var token = options.Value.Token;
        if (string.IsNullOrEmpty(token))
        {
            // A local reverse proxy makes every request look like loopback; one that says it forwarded is not.
            return http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");
        }

        var header = http.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
