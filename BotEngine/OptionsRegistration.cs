using Microsoft.Extensions.Options;

namespace BotEngine;

internal static class OptionsRegistration
{
    public static IHostApplicationBuilder AddBotEngineOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotEngineOptions>().BindConfiguration(BotEngineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BotEngineOptions>, BotEngineOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
