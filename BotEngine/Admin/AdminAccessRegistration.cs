using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using BotEngine.Operations;
using Microsoft.Extensions.Options;

namespace BotEngine.Admin;

internal static class AdminAccessRegistration
{
    public static IHostApplicationBuilder AddAdminAccess(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddAuthentication(AdminAccess.DefaultScheme)
            // A request with an Authorization header is a script's: the token decides; otherwise the cookie does.
            .AddPolicyScheme(AdminAccess.DefaultScheme, null, scheme => scheme.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Count > 0 ? AdminAccess.BearerScheme : AdminAccess.CookieScheme)
            .AddCookie(AdminAccess.CookieScheme, AdminCookie.Configure)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(AdminAccess.BearerScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminAccess.Policy, policy => policy.AddRequirements(new AdminRequirement(AreaOnly: false)))
            // Endpoints that name no policy: those under /admin and /dev/api get the admin rule all the same.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new AdminRequirement(AreaOnly: true)).Build());
        services.AddSingleton<IAuthorizationHandler, AdminRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminRefusal>();
        services.AddSingleton<AdminAccess>();
        services.AddSignInRateLimit();

        // The cookie's encryption keys live with the data (mode 700), so a restart keeps browsers signed in.
        services.AddDataProtection().SetApplicationName("botengine");
        // Its own hosted service loads (on a new data folder: creates) the key ring at start, 50-80 ms of CPU before
        // the first /healthz 200: every hosted service of its assembly is taken out (there is one, internal), and
        // KeyRingWarmup loads the key ring after the first answer instead.
        var dataProtection = typeof(KeyManagementOptions).Assembly;
        foreach (var preload in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == dataProtection).ToList())
        {
            services.Remove(preload);
        }

        services.AddSingleton<KeyRingWarmup>();
        services.AddAfterFirstAnswer<KeyRingWarmup>();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<BotEngineOptions>, ILoggerFactory>((keys, engine, loggers) =>
        {
            var folder = Path.Combine(engine.Value.ResolveDataDirectory(), "keys");
            keys.XmlRepository = new FileSystemXmlRepository(OperatingSystem.IsWindows()
                ? Directory.CreateDirectory(folder)
                : Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                loggers);
        });
        return builder;
    }

    /// <summary>
    /// Authentication, the admin policy and the sign-in rate limit: after routing, before any endpoint. Created by the
    /// first request that gets here (<see cref="LaterBranch"/>): the authorization middleware builds the endpoint table.
    /// </summary>
    public static WebApplication UseAdminAccess(this WebApplication app)
    {
        LaterBranch.Use(app, branch =>
        {
            branch.UseAuthentication();
            branch.UseAuthorization();
            branch.UseRateLimiter();
        });
        return app;
    }
}
