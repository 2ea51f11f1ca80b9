using BotEngine.Channels.Line.Delivery;
using BotEngine.Cluster;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace BotEngine.Channels.Line;

internal static class LineRegistration
{
    public const string PipelineName = "line-messaging-api";

    /// <summary>Everything LINE: options, signature, Messaging API client, quota, delivery (reply, push, batches).</summary>
    public static IHostApplicationBuilder AddLine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LineOptions>().BindConfiguration(LineOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LineOptions>, LineOptionsValidator>();
        builder.Services.AddSingleton<IChannel, LineChannel>();
        builder.Services.AddSingleton<LineSignature>();
        builder.Services.AddSingleton<LineReplies>();
        builder.Services.AddSingleton<LinePushes>();
        builder.Services.AddSingleton<LineBatchSender>();
        builder.Services.AddSingleton<LineBatcher>();
        builder.Services.AddSingleton<IChannelDelivery, LineDelivery>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // In cluster mode each node's buckets hold its share of the limit (ClusterNodes: the Up members).
        builder.Services.TryAddSingleton(services => new LineRateLimits(
            services.GetRequiredService<IOptions<LineOptions>>().Value.RequestsPerSecond, services.GetService<ClusterNodes>()));
        builder.Services.AddSingleton<IRateShareView>(services => services.GetRequiredService<LineRateLimits>()); // on /healthz
        builder.Services.TryAddSingleton<EngineMetrics>();
        builder.AddOutageCircuits();
        builder.Services.TryAddSingleton<LineQuota>();
        builder.Services.AddSingleton<IPlatformStatus>(services => services.GetRequiredService<LineQuota>());
        builder.Services.TryAddSingleton<LineQuotaWorker>();
        builder.Services.AddAfterFirstAnswer<LineQuotaWorker>(); // its HTTP client: after ready
        builder.Services.AddPlatformClient<ILineApi, LineApiClient>(Address, LineCallLabels.Endpoint)
            .AddSendPipeline(PipelineName, LineChannel.Id.Name,
                (pipeline, services) => pipeline.AddRateLimiter(PlatformClients.PerRequest(
                    "line-endpoint-rate", services.GetRequiredService<LineRateLimits>().AcquireAsync)),
                services => services.GetRequiredService<IOptions<LineOptions>>().Value.RequestTimeout);
        // Quota reads take their own client: no circuit breaker, so their answers never weigh on whether sending
        // counts as an outage (a GET may work while every POST fails).
        builder.Services.AddPlatformClient<LineQuotaClient>(Address, LineCallLabels.Endpoint)
            .AddResilienceHandler("line-quota", (pipeline, context) => pipeline.AddTimeout(
                context.ServiceProvider.GetRequiredService<IOptions<LineOptions>>().Value.RequestTimeout));
        return builder;
    }

    private static PlatformAddress Address(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LineOptions>>().Value;
        return new PlatformAddress(options.ApiBaseUrl, options.ChannelAccessToken);
    }
}
