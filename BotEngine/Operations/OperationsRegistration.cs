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
            .Enrich.With<LogLineEnricher>());
        return builder;
    }

    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.AddIngress();
        builder.Services.TryAddSingleton<EngineMetrics>(); // AddLine may have registered it
        builder.Services.AddSingleton<QueueDepthCollector>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHealthChecks().AddCheck<EngineHealthCheck>("engine");
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<ThreadPoolWatch>();
        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.Services.GetRequiredService<QueueDepthCollector>().Register();
        app.Services.GetRequiredService<StorageMetrics>().Register();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        var registry = app.Services.GetRequiredService<EngineMetrics>().Registry;
        app.MapMetrics(settings => settings.Registry = registry, "/metrics");
        return app;
    }
}
