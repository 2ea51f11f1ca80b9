using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;

namespace BotEngine.Channels.Telegram;

internal static class TelegramRegistration
{
    // Telegram's FAQ: "not more than 30 messages per second" across chats; per-chat limits answer 429 with retry_after.
    private const int MessagesPerSecond = 30;

    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TelegramSecret>();
        builder.AddOutageCircuits();
        builder.Services.AddHttpClient<ITelegramApi, TelegramApiClient>((services, http) =>
                http.BaseAddress = new Uri(services.GetRequiredService<IOptions<TelegramOptions>>().Value.ApiBaseUrl.TrimEnd('/') + "/"))
            // Every URL carries the bot token: this client logs nothing at all.
            .RemoveAllLoggers()
            .AddHttpMessageHandler(services => new OutboundCallCounter(
                services.GetRequiredService<EngineMetrics>(), OutboundCallCounter.TelegramEndpoint))
            .AddResilienceHandler("telegram-bot-api", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
                pipeline.AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = MessagesPerSecond,
                    TokensPerPeriod = MessagesPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 100_000,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
                context.ServiceProvider.GetRequiredService<PlatformCircuits>().For(Channel.Telegram.Name()).AddTo(
                    pipeline, context.ServiceProvider.GetRequiredService<IOptions<OutageOptions>>().Value);
                pipeline.AddTimeout(options.RequestTimeout);
            });
        return builder;
    }
}
