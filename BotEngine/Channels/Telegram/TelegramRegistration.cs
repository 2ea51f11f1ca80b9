using BotEngine.Cluster;
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
        // In cluster mode each node's all-chats bucket holds its share of the bot's limit (ClusterNodes: the Up members).
        builder.Services.AddSingleton(services => new TelegramRateLimits(services.GetService<ClusterNodes>()));
        builder.Services.AddSingleton<IRateShareView>(services => services.GetRequiredService<TelegramRateLimits>()); // on /healthz
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
