using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

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
        builder.Services.AddHttpClient<ITelegramApi, TelegramApiClient>((services, http) =>
                http.BaseAddress = new Uri(services.GetRequiredService<IOptions<TelegramOptions>>().Value.ApiBaseUrl.TrimEnd('/') + "/"))
            // Every URL carries the bot token: this client logs nothing at all.
            .RemoveAllLoggers()
            .AddHttpMessageHandler(services => new OutboundCallCounter(
                services.GetRequiredService<EngineMetrics>(), TelegramApiClient.Endpoint))
            .AddResilienceHandler("telegram-bot-api", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
                // Outermost: a wait for the chat's or the bot's budget is not part of the attempt's timeout.
                var limits = context.ServiceProvider.GetRequiredService<TelegramRateLimits>();
                pipeline.AddRateLimiter(new RateLimiterStrategyOptions
                {
                    Name = "telegram-send-rate",
                    RateLimiter = args => limits.AcquireAsync(
                        args.Context.GetRequestMessage() ?? throw new InvalidOperationException("No request in the context."),
                        args.Context.CancellationToken),
                });
                context.ServiceProvider.GetRequiredService<PlatformCircuits>().For(TelegramChannel.Id.Name).AddTo(
                    pipeline, context.ServiceProvider.GetRequiredService<IOptions<OutageOptions>>().Value);
                pipeline.AddTimeout(options.RequestTimeout);
            });
        return builder;
    }
}
