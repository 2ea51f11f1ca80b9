using Microsoft.AspNetCore.Authorization;

namespace BotEngine.Admin;

/// <summary>
/// Who may use the admin API, the dashboard, the API of each <see cref="AdminPage"/> and <c>/metrics</c>: with <c>Admin:Token</c> set, a caller
/// with <c>Authorization: Bearer &lt;token&gt;</c> (<see cref="BearerTokenHandler"/>) or a browser signed in at
/// <c>/admin</c> (<see cref="AdminCookie"/>); without a token, direct loopback requests only
/// (<see cref="LoopbackRule"/>). Writes must be same-origin either way (<see cref="SameOrigin"/>). Decided by
/// ASP.NET Core's authorization middleware, before the endpoint binds or reads the body
/// (<see cref="AdminAccessRegistration"/>); every path under <c>/admin</c> and each <see cref="AdminPage"/>'s API falls under it,
/// whoever maps it. As an endpoint filter this class applies the same policy to an endpoint outside those paths
/// (after binding, so prefer <c>RequireAuthorization(AdminAccess.Policy)</c>).
/// </summary>
internal sealed class AdminAccess : IEndpointFilter
{
    public const string Policy = "admin";
    public const string DefaultScheme = "admin";
    public const string CookieScheme = "admin-cookie";
    public const string BearerScheme = "admin-bearer";

    /// <summary>True for the paths the admin rule covers even when an endpoint there forgot to ask for it.</summary>
    public static bool Covers(PathString path, IEnumerable<AdminPage> pages) =>
        path.StartsWithSegments("/admin") || pages.Any(page => path.StartsWithSegments(page.ApiPath));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        return (await authorization.AuthorizeAsync(http.User, http, Policy)).Succeeded
            ? await next(context)
            : Results.Unauthorized();
    }
}
