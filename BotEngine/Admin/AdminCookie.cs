using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>
/// The sign-in cookie (ASP.NET Core's cookie scheme) when <c>Admin:Token</c> is set: one sign-in at <c>/admin</c>
/// opens the dashboard and the dev page. HttpOnly and SameSite=Strict: scripts cannot read it and no other site's
/// page can send it. It holds the token's fingerprint, encrypted with the engine's data-protection keys (kept in
/// <c>{DataDirectory}/keys</c>, so a restart keeps browsers signed in); a changed token signs every browser out.
/// </summary>
internal static class AdminCookie
{
    public const string Name = "botengine_admin";
    private const string FingerprintClaim = "botengine:token";

    public static void Configure(CookieAuthenticationOptions cookie)
    {
        cookie.Cookie.Name = Name;
        cookie.Cookie.Path = "/";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.IsEssential = true;
        cookie.ExpireTimeSpan = TimeSpan.FromDays(7);
        cookie.SlidingExpiration = true;
        // Never redirect: AdminRefusal answers 401/403 with a JSON error, and GET /admin shows the sign-in form.
        cookie.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
        cookie.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
        cookie.Events.OnSigningIn = context =>
        {
            // Behind a TLS proxy the request is plain HTTP; the proxy's word only makes the cookie stricter.
            if (context.Request.Headers["X-Forwarded-Proto"] == "https") context.CookieOptions.Secure = true;
            return Task.CompletedTask;
        };
        cookie.Events.OnValidatePrincipal = context =>
        {
            var admin = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
            var current = AdminToken.Fingerprint(admin);
            if (current is null || context.Principal?.FindFirst(FingerprintClaim)?.Value != current)
            {
                context.RejectPrincipal();
                return context.HttpContext.SignOutAsync(AdminAccess.CookieScheme);
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Signs the browser in; the caller has checked the token.</summary>
    public static Task SignInAsync(HttpContext http, AdminOptions admin)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "admin"), new Claim(FingerprintClaim, AdminToken.Fingerprint(admin)!)],
            AdminAccess.CookieScheme);
        return http.SignInAsync(AdminAccess.CookieScheme, new ClaimsPrincipal(identity));
    }

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
