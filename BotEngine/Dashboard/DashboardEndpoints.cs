using BotEngine.Admin;
using BotEngine.Conversations;
using BotEngine.Ingress;
using BotEngine.Outbound.Outage;
using BotEngine.Queue;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BotEngine.Dashboard;

/// <summary>
/// <c>GET /admin</c>: charts of the last hour (queue depth, traffic, latency, conversations, platform calls) and the
/// dead letters with a retry button. Same access as the admin API (<see cref="AdminAccess"/>); a browser signs in
/// once with the token (<see cref="DashboardLogin"/>), which also opens the dev page.
/// </summary>
internal static class DashboardEndpoints
{
    private const string PageCsp =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.IsValid, "Dashboard:SampleInterval must be at least 50 ms, Dashboard:History at least one "
                + "interval and at most 100,000 of them.")
            .ValidateOnStart();
        builder.Services.AddSingleton<StatsHistory>();
        builder.Services.AddSingleton<DashboardAssets>();
        builder.Services.AddHostedService<StatsSampler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // The page itself decides: the dashboard when admitted, else the sign-in form (or why not).
        app.MapGet("/admin", async (HttpContext http, IAuthorizationService authorization, IOptions<AdminOptions> admin,
            DashboardAssets assets) =>
        {
            Protect(http.Response);
            return (await authorization.AuthorizeAsync(http.User, http, AdminAccess.Policy)).Succeeded
                ? assets.Serve(http, "index.html")
                : DashboardLogin.Challenge(http, admin.Value);
        }).AllowAnonymous();
        app.MapPost("/admin/login", (HttpContext http, IOptions<AdminOptions> admin) =>
        {
            Protect(http.Response);
            return DashboardLogin.SignInAsync(http, admin.Value);
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).WithBodyLimit(RequestLimits.SignIn);

        var admin = app.MapGroup("/admin").RequireAuthorization(AdminAccess.Policy);
        admin.MapGet("/assets/{**path}", (HttpContext http, string path, DashboardAssets assets) =>
        {
            Protect(http.Response);
            return assets.Serve(http, path);
        });
        admin.MapGet("/api/stats", (HttpContext http, StatsHistory history, IOptions<DashboardOptions> options,
            ReplayFailures replay) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(StatsView.From(history.Read(), options.Value.SampleInterval) with
            {
                UnreadableConversations = replay.Unreadable,
            });
        });
        admin.MapGet("/api/platforms", async (HttpContext http, IEnumerable<IPlatformStatus> platforms, IEventStore events) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(await PlatformStatusView.ReadAsync(platforms, events, http.RequestAborted));
        });
        return app;
    }

    private static void Protect(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = PageCsp;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
