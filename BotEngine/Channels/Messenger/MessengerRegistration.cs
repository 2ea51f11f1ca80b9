using BotEngine.Cluster;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // In cluster mode each node's bucket holds its share of the page's limit (ClusterNodes: the Up members).
        builder.Services.AddSingleton(services => new MessengerRateLimits(services.GetService<ClusterNodes>()));
        builder.Services.AddSingleton<IRateShareView>(services => services.GetRequiredService<MessengerRateLimits>()); // on /healthz
        builder.AddOutageCircuits();
        builder.Services.AddPlatformClient<IMessengerApi, MessengerApiClient>(Address, MessengerApiClient.Endpoint)
            .AddSendPipeline("messenger-send-api", MessengerChannel.Id.Name,
                // The page's one token bucket: every call takes a permit from it, whatever its endpoint.
                (pipeline, services) => pipeline.AddRateLimiter(PlatformClients.PerRequest(
                    "messenger-page-rate", services.GetRequiredService<MessengerRateLimits>().AcquireAsync)),
                services => services.GetRequiredService<IOptions<MessengerOptions>>().Value.RequestTimeout);
        builder.Services.AddSingleton<IChannelDelivery, MessengerDelivery>();
        return builder;
    }

    private static PlatformAddress Address(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<MessengerOptions>>().Value;
        return new PlatformAddress(options.ApiBaseUrl, options.PageAccessToken);
    }
}
