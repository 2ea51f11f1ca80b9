using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using BotEngine.Operations;
using BotEngine.Outbound.Outage;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace BotEngine.Outbound.Transport;

/// <summary>Where a platform API is and the token it takes, read from the channel's options.</summary>
/// <param name="BaseUrl">The API's root; a path prefix in it is kept.</param>
/// <param name="BearerToken">Sent as <c>Authorization: Bearer</c> when set.</param>
internal sealed record PlatformAddress(string BaseUrl, string? BearerToken = null);

/// <summary>
/// A platform API's typed <see cref="HttpClient"/>, the same for every channel: base address and token, no logging of
/// its own, every call counted, and the send pipeline (<see cref="AddSendPipeline"/>).
/// </summary>
internal static class PlatformClients
{
    /// <summary>The client, without a pipeline: the caller adds <see cref="AddSendPipeline"/> or its own.</summary>
    public static IHttpClientBuilder AddPlatformClient<TClient, TImplementation>(this IServiceCollection services,
        Func<IServiceProvider, PlatformAddress> address, Func<Uri?, string> endpointOf)
        where TClient : class where TImplementation : class, TClient =>
        services.AddHttpClient<TClient, TImplementation>((provider, http) => Configure(http, address(provider)))
            .Quiet(endpointOf);

    /// <inheritdoc cref="AddPlatformClient{TClient, TImplementation}"/>
    public static IHttpClientBuilder AddPlatformClient<TClient>(this IServiceCollection services,
        Func<IServiceProvider, PlatformAddress> address, Func<Uri?, string> endpointOf)
        where TClient : class =>
        services.AddHttpClient<TClient>((provider, http) => Configure(http, address(provider))).Quiet(endpointOf);

    /// <summary>
    /// The rate limiter, the channel's outage circuit, then the attempt timeout, and deliberately no retry strategy:
    /// a reply token is single-use, so a retried reply after a lost answer can only fail or send twice; a send without
    /// a retry key may show twice; and the durable queue already retries with exponential backoff, jitter and
    /// MaxAttempts, stores the attempt count and survives restarts. A second, in-process retry loop would multiply
    /// attempts (MaxAttempts × inner tries), hold the conversation's lane while it sleeps, and hide 429s from the
    /// caller's backoff and metrics. So every call is one HTTP attempt.
    /// </summary>
    /// <param name="circuit">The channel's name, naming its circuit in <see cref="PlatformCircuits"/>.</param>
    /// <param name="addRateLimiter">Adds the channel's rate limiter to the pipeline.</param>
    public static IHttpClientBuilder AddSendPipeline(this IHttpClientBuilder client, string name, string circuit,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>, IServiceProvider> addRateLimiter,
        Func<IServiceProvider, TimeSpan> requestTimeout)
    {
        client.AddResilienceHandler(name, (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            // Outermost: time spent waiting for a permit is not part of the attempt, so a request queued behind a
            // burst never times out as maybe delivered before it was even sent.
            addRateLimiter(pipeline, services);
            // Inside the rate limiter (a wait for a permit is no failure), outside the timeout (a hung API is one).
            services.GetRequiredService<PlatformCircuits>().For(circuit)
                .AddTo(pipeline, services.GetRequiredService<IOptions<OutageOptions>>().Value);
            pipeline.AddTimeout(requestTimeout(services));
        });
        return client;
    }

    /// <summary>A rate limiter that takes its permit for the request itself (per endpoint, per chat).</summary>
    public static RateLimiterStrategyOptions PerRequest(
        string name, Func<HttpRequestMessage, CancellationToken, ValueTask<RateLimitLease>> acquire) => new()
    {
        Name = name,
        RateLimiter = args => acquire(
            args.Context.GetRequestMessage() ?? throw new InvalidOperationException("No request in the context."),
            args.Context.CancellationToken),
    };

    private static void Configure(HttpClient http, PlatformAddress address)
    {
        // A trailing slash keeps a path prefix in the base URL when the relative endpoint paths are resolved against it.
        http.BaseAddress = new Uri(address.BaseUrl.TrimEnd('/') + "/");
        if (!string.IsNullOrEmpty(address.BearerToken))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", address.BearerToken);
        }
    }

    // Tokens travel in the Authorization header or in the path. RedactLoggedHeaders only masks the rendered message:
    // at Trace the log state still hands every raw header value to Serilog as properties (seen in LoggingTests), so a
    // platform client logs nothing itself; outcomes show in metrics and the worker's logs. The call counter sits
    // outside the pipeline, so it sees its timeouts and rejections.
    private static IHttpClientBuilder Quiet(this IHttpClientBuilder client, Func<Uri?, string> endpointOf) => client
        .RemoveAllLoggers()
        .AddHttpMessageHandler(services => new OutboundCallCounter(services.GetRequiredService<EngineMetrics>(), endpointOf));
}
