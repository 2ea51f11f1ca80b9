using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;
using Microsoft.Extensions.Options;
using Polly;

namespace BotEngine.Channels.Telegram;

internal static class TelegramRegistration
{
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        builder.Services.AddSingleton<IChannel, TelegramChannel>();
        builder.Services.AddSingleton<IChannelDelivery, TelegramDelivery>();
        builder.Services.AddSingleton<TelegramSecret>();
        builder.Services.AddSingleton<TelegramRateLimits>();
        builder.AddOutageCircuits();
        // No bearer token: the bot token is in every URL instead.
        builder.Services.AddPlatformClient<ITelegramApi, TelegramApiClient>(
                services => new PlatformAddress(services.GetRequiredService<IOptions<TelegramOptions>>().Value.ApiBaseUrl),
                TelegramApiClient.Endpoint)
            .AddSendPipeline("telegram-bot-api", TelegramChannel.Id.Name,
                (pipeline, services) => pipeline.AddRateLimiter(PlatformClients.PerRequest(
                    "telegram-send-rate", services.GetRequiredService<TelegramRateLimits>().AcquireAsync)),
                services => services.GetRequiredService<IOptions<TelegramOptions>>().Value.RequestTimeout);
        return builder;
    }
}
