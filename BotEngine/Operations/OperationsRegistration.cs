using BotEngine.Admin;
using BotEngine.Ingress;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;
using Serilog;
using Serilog.Settings.Configuration;

namespace BotEngine.Operations;

internal static class OperationsRegistration
{
    public static IHostApplicationBuilder AddBotEngineLogging(this IHostApplicationBuilder builder)
    {
        // Sink assemblies are named explicitly: a single-file binary has no assembly files for Serilog to scan.
        var readerOptions = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(Serilog.Formatting.Compact.CompactJsonFormatter).Assembly);
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration, readerOptions)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .Enrich.With<LogLineEnricher>()
            .Filter.ByExcluding(StartupFailure.IsHostsOwnReport), // StartupFailure says it once, in one line
            // Each host owns its logger. Without this Serilog writes through the static Log.Logger and a host that stops
            // calls Log.CloseAndFlush(), silencing every other host in the process (tests run several at once).
            preserveStaticLogger: true);
        return builder;
    }

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.AddIngress();
        builder.Services.TryAddSingleton<EngineMetrics>(); // AddLine may have registered it
        builder.Services.AddSingleton<QueueDepthCollector>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHostedService<MetricsCollectors>();
        builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine")
            .AddCheck<PlatformHealthCheck>("platforms");
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<ThreadPoolWatch>();
        builder.Services.AddHostedService<IdleMemoryTrim>();
        builder.Services.AddSingleton<EndpointWarmup>();
        builder.Services.AddAfterFirstAnswer<EndpointWarmup>();
        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        var registry = app.Services.GetRequiredService<EngineMetrics>().Registry;
        // The admin rule (README, "Admin access"): loopback, or Prometheus's `authorization` with the admin token.
        app.MapMetrics(settings => settings.Registry = registry, "/metrics").RequireAuthorization(AdminAccess.Policy);
        return app;
    }

    /// <summary>
    /// <c>/healthz</c>, open to anyone, answered before routing: the endpoint table (every minimal-API endpoint's request
    /// delegate, about 100 ms of CPU) is then built after the first answer (<see cref="EndpointWarmup"/>), not before it.
    /// </summary>
    public static void UseHealthz(WebApplication app) =>
        app.UseHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
}
