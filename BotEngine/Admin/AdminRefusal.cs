using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>
/// What a refused caller gets, before anything read its body: 401 (or 403 for a cross-site write) and a JSON error
/// saying how to get in, instead of a scheme's redirect or an empty answer.
/// </summary>
internal sealed class AdminRefusal(IOptions<AdminOptions> options) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(
        RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        // Recomputed: the policy evaluator keeps failure reasons only for callers it authenticated.
        var crossSite = !SameOrigin.Allows(context.Request);
        var tokenSet = AdminToken.IsSet(options.Value);
        var (status, error) = crossSite
            ? (StatusCodes.Status403Forbidden, "cross-site write refused: use the engine's own pages, or a client without Origin")
            : tokenSet
                ? (StatusCodes.Status401Unauthorized, "send Authorization: Bearer <Admin:Token>, or sign in at /admin")
                : (StatusCodes.Status401Unauthorized,
                    "without Admin:Token only direct loopback requests are admitted (no proxy headers); set Admin:Token");
        if (status == StatusCodes.Status401Unauthorized && tokenSet)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error }, context.RequestAborted);
    }
}
