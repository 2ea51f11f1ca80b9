using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>
/// <c>Authorization: Bearer &lt;Admin:Token&gt;</c>, for scripts, curl and Prometheus. Without a token configured the
/// header is ignored (the loopback rule decides).
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder,
    IOptions<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !AdminToken.IsSet(admin.Value))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!AdminToken.Matches(admin.Value, header[Prefix.Length..].Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("not the admin token"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], AdminAccess.BearerScheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
