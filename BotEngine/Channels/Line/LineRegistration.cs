using System.Net.Http.Headers;
using BotEngine.Channels.Line.Delivery;
using BotEngine.Operations;
using BotEngine.Outbound;
using BotEngine.Outbound.Outage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

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
        builder.Services.TryAddSingleton(services =>
            new LineRateLimits(services.GetRequiredService<IOptions<LineOptions>>().Value.RequestsPerSecond));
        builder.Services.TryAddSingleton<EngineMetrics>();
        builder.AddOutageCircuits();
        builder.Services.TryAddSingleton<LineQuota>();
        builder.Services.AddSingleton<IPlatformStatus>(services => services.GetRequiredService<LineQuota>());
        builder.Services.TryAddSingleton<LineQuotaWorker>();
        builder.Services.TryAddSingleton<Operations.FirstAnswer>();
        builder.Services.AddHostedService<Operations.StartedLater<LineQuotaWorker>>(); // its HTTP client: after ready
        builder.Services.AddHttpClient<ILineApi, LineApiClient>(ConfigureClient)
            // The Authorization header carries the channel access token. RedactLoggedHeaders only masks the rendered
            // message: at Trace the log state still hands every raw header value to Serilog as properties (seen in
            // LoggingTests), so this client logs nothing itself; outcomes show in metrics and the worker's logs.
            .RemoveAllLoggers()
            // Outside the pipeline: sees its timeouts and rejections.
            .AddHttpMessageHandler(services => new OutboundCallCounter(
                services.GetRequiredService<EngineMetrics>(), LineCallLabels.Endpoint))
            .AddResilienceHandler(PipelineName, ConfigurePipeline);
        // Quota reads take their own client: no circuit breaker, so their answers never weigh on whether sending
        // counts as an outage (a GET may work while every POST fails).
        builder.Services.AddHttpClient<LineQuotaClient>(ConfigureClient)
            .RemoveAllLoggers()
            .AddHttpMessageHandler(services => new OutboundCallCounter(
                services.GetRequiredService<EngineMetrics>(), LineCallLabels.Endpoint))
            .AddResilienceHandler("line-quota", (pipeline, context) => pipeline.AddTimeout(
                context.ServiceProvider.GetRequiredService<IOptions<LineOptions>>().Value.RequestTimeout));
        return builder;
    }

    private static void ConfigureClient(IServiceProvider services, HttpClient http)
    {
        var options = services.GetRequiredService<IOptions<LineOptions>>().Value;
        // A trailing slash keeps a path prefix in ApiBaseUrl when the relative endpoint paths are resolved against it.
        http.BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/");
        if (!string.IsNullOrEmpty(options.ChannelAccessToken))
        {
            http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", options.ChannelAccessToken);
        }
    }

    // Rate limiter, circuit breaker, then the attempt timeout, and deliberately no retry strategy:
    // - a reply token is single-use, so a retried reply after a lost answer can only fail or send twice;
    // - a push is safe to repeat (X-Line-Retry-Key), but the durable queue already retries it with exponential
    //   backoff, jitter and MaxAttempts, stores the attempt count and survives restarts. A second, in-process retry
    //   loop would multiply attempts (MaxAttempts × inner tries), hold the conversation's lane while it sleeps, and
    //   hide 429s from the caller's backoff and metrics. So every call here is one HTTP attempt (as ILineApi says).
    private static void ConfigurePipeline(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var limits = context.ServiceProvider.GetRequiredService<LineRateLimits>();
        var options = context.ServiceProvider.GetRequiredService<IOptions<LineOptions>>().Value;

        // Outermost: time spent waiting for a permit is not part of the attempt, so a request queued behind a burst
        // never times out as Unknown before it was even sent.
        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "line-endpoint-rate",
            RateLimiter = args => limits.AcquireAsync(
                args.Context.GetRequestMessage() ?? throw new InvalidOperationException("No request in the context."),
                args.Context.CancellationToken),
        });
        // Inside the rate limiter (a wait for a permit is no failure), outside the timeout (a hung API is one).
        context.ServiceProvider.GetRequiredService<PlatformCircuits>().For(LineChannel.Id.Name).AddTo(pipeline,
            context.ServiceProvider.GetRequiredService<IOptions<OutageOptions>>().Value);
        pipeline.AddTimeout(options.RequestTimeout);
    }
}
