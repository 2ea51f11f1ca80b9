using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

/// <summary>The admin rule as an authorization requirement; <paramref name="AreaOnly"/>: only on the paths
/// <see cref="AdminAccess.Covers"/> (the fallback policy of endpoints that state no policy).</summary>
internal sealed record AdminRequirement(bool AreaOnly) : IAuthorizationRequirement;

internal sealed class AdminRequirementHandler(IOptions<AdminOptions> options, IEnumerable<AdminPage> pages)
    : AuthorizationHandler<AdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (requirement.AreaOnly && !AdminAccess.Covers(http.Request.Path, pages))
        {
            context.Succeed(requirement);
        }
        else if (!SameOrigin.Allows(http.Request))
        {
            context.Fail(new AuthorizationFailureReason(this, SameOrigin.Refused));
        }
        else if (AdminToken.IsSet(options.Value) ? IsSignedIn(context.User) : LoopbackRule.IsDirect(http))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private static bool IsSignedIn(ClaimsPrincipal user) => user.Identities.Any(identity => identity.IsAuthenticated
        && identity.AuthenticationType is AdminAccess.BearerScheme or AdminAccess.CookieScheme);
}
