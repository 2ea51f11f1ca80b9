using BotEngine.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BotEngine.Outbound.Outage;

internal static class OutageRegistration
{
    /// <summary>The circuits every platform client adds to its pipeline; safe to call once per channel.</summary>
    public static IHostApplicationBuilder AddOutageCircuits(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(PlatformCircuits))) return builder;
        builder.Services.AddOptions<OutageOptions>().BindConfiguration(OutageOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutageOptions>, OutageOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EngineMetrics>();
        builder.Services.AddSingleton<PlatformCircuits>();
        builder.Services.AddSingleton<IPlatformStatus>(services => services.GetRequiredService<PlatformCircuits>());
        return builder;
    }
}
