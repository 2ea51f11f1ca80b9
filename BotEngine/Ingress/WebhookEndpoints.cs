using BotEngine.Channels;
using BotEngine.Operations;
using BotEngine.Queue;
using Microsoft.Extensions.Options;

namespace BotEngine.Ingress;

internal static class WebhookEndpoints
{
    // Long enough for a restart or a freed disk, short enough that the platform's retry comes soon.
    private const string RetryAfterSeconds = "5";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Authenticated by their signature, not by the admin rule; up to BotEngine:MaxBodyBytes.
        var hooks = app.MapGroup("/webhooks").AllowAnonymous().WithWebhookBodyLimit(app.ServiceProvider);
        var services = app.ServiceProvider;
        foreach (var channel in services.GetRequiredService<ChannelSet>().All)
        {
            channel.Map(app, hooks);
        }

        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => LogChannels(services));
        return app;
    }

    /// <summary>
    /// Maps <c>POST /webhooks/{name}</c> of <paramref name="channel"/>: 404 while it is off. While it is on,
    /// <see cref="WebhookFastPath"/> answers the requests that come exactly this way before routing runs; this
    /// endpoint takes the rest (a trailing slash, another letter case) with the same result.
    /// </summary>
    public static RouteHandlerBuilder MapWebhook(this RouteGroupBuilder webhooks, Channel channel) =>
        webhooks.MapPost("/" + channel.Name, (HttpContext http, WebhookHooks hooks, Ingress ingress) =>
        {
            if (hooks.Find(channel.Name) is { } hook) return ingress.AnswerAsync(hook, http);
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

    // A newcomer without secrets should learn at once why a webhook gets 404s, and where to chat instead. Once
    // started: options read while mapping would turn a bad setting into an exception before start-up can report it.
    private static void LogChannels(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoints));
        var channels = services.GetRequiredService<ChannelSet>().All.Select(c => $"{c.Id.Name} {c.Describe(services)}");
        logger.LogInformation("Channels: {Channels}", string.Join("; ", channels));
    }

    /// <summary>Authenticate, store durably, acknowledge; nothing else happens inside the request.</summary>
    internal sealed class Ingress(
        IInboxStore inbox, QueueSignals signals, IngestActivity activity, IngressGate gate,
        IOptions<BotEngineOptions> options, EngineMetrics metrics, ILogger<Ingress> logger)
    {
        /// <summary>Sets the answer's status (a 503 also gets its <c>Retry-After</c> header); the body stays empty.</summary>
        public async Task AnswerAsync(WebhookHook hook, HttpContext http)
        {
            // The pipeline steps aside while webhooks arrive (IngestActivity): their 200s come first.
            activity.Begin();
            try
            {
                http.Response.StatusCode = await StoreAsync(hook, http);
            }
            finally
            {
                activity.End();
            }
        }

        private async ValueTask<int> StoreAsync(WebhookHook hook, HttpContext http)
        {
            if (!gate.IsOpen)
            {
                return Unavailable(http, hook.Channel, "stopping");
            }

            var body = await BodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            if (body is null)
            {
                metrics.Webhook(hook.Channel.Name, "too_large");
                return StatusCodes.Status413PayloadTooLarge;
            }

            if (!hook.Check(http.Request, body))
            {
                metrics.Webhook(hook.Channel.Name, "unauthorized");
                return StatusCodes.Status401Unauthorized;
            }

            try
            {
                // Not the request's token: once the body is in a batch it is stored whether or not the caller waits.
                await inbox.AppendAsync(hook.Channel, body, CancellationToken.None);
            }
#pragma warning disable CA1031 // Whatever failed the write (disk full, shutting down), the platform must retry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Could not store a {Channel} webhook body", hook.Channel.Name);
                return Unavailable(http, hook.Channel, "store_failed");
            }

            signals.BodiesStored.Set();
            metrics.Webhook(hook.Channel.Name, "accepted");
            return StatusCodes.Status200OK;
        }

        private int Unavailable(HttpContext http, Channel channel, string result)
        {
            metrics.Webhook(channel.Name, result);
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
            return StatusCodes.Status503ServiceUnavailable;
        }
    }
}
