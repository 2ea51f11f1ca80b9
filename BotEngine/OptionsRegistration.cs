using BotEngine.Admin;
using BotEngine.Channels.Line;
using BotEngine.Channels.Telegram;
using Microsoft.Extensions.Options;

namespace BotEngine;

internal static class OptionsRegistration
{
    public static IHostApplicationBuilder AddBotEngineOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotEngineOptions>().BindConfiguration(BotEngineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BotEngineOptions>, BotEngineOptionsValidator>();
        builder.Services.AddOptions<LineOptions>().BindConfiguration(LineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LineOptions>, LineOptionsValidator>();
        builder.Services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
