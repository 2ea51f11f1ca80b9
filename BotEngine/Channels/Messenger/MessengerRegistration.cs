using System.Net.Http.Headers;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace BotEngine.Channels.Messenger;

internal static class MessengerRegistration
{
    /// <summary>
    /// Everything Messenger: options, signature, Send API client, delivery. The endpoints: <see cref="MessengerEndpoints"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMessenger(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MessengerOptions>().BindConfiguration(MessengerOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MessengerOptions>, MessengerOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<EngineMetrics>();
        builder.Services.AddSingleton<IChannel, MessengerChannel>();
        builder.Services.AddSingleton<MessengerSignature>();
        builder.Services.AddSingleton<MessengerRateLimits>();
        builder.AddOutageCircuits();
        builder.Services.AddHttpClient<IMessengerApi, MessengerApiClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<MessengerOptions>>().Value;
                http.BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/");
                if (!string.IsNullOrEmpty(options.PageAccessToken))
                {
                    http.DefaultRequestHeaders.Authorization =
                        new AuthenticationHeaderValue("Bearer", options.PageAccessToken);
                }
            })
            // The Authorization header carries the page access token: this client logs nothing itself (see LINE's).
            .RemoveAllLoggers()
            .AddHttpMessageHandler(services => new OutboundCallCounter(
                services.GetRequiredService<EngineMetrics>(), MessengerApiClient.Endpoint))
            .AddResilienceHandler("messenger-send-api", ConfigurePipeline);
        builder.Services.AddSingleton<IChannelDelivery, MessengerDelivery>();
        return builder;
    }

    // As LINE's: the page's rate limit outermost (a wait is no failure), the outage circuit, then the attempt timeout;
    // no retry strategy, the durable queue retries.
    private static void ConfigurePipeline(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        pipeline.AddRateLimiter(services.GetRequiredService<MessengerRateLimits>().Page);
        services.GetRequiredService<PlatformCircuits>().For(MessengerChannel.Id.Name)
            .AddTo(pipeline, services.GetRequiredService<IOptions<OutageOptions>>().Value);
        pipeline.AddTimeout(services.GetRequiredService<IOptions<MessengerOptions>>().Value.RequestTimeout);
    }
}
