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
        public async Task<IResult> AcceptAsync(Channel channel, HttpContext http, Func<byte[], bool> isAuthentic)
        {
            // The pipeline steps aside while webhooks arrive (IngestActivity): their 200s come first.
            activity.Begin();
            try
            {
                return await StoreAsync(channel, http, isAuthentic);
            }
            finally
            {
                activity.End();
            }
        }

        private async Task<IResult> StoreAsync(Channel channel, HttpContext http, Func<byte[], bool> isAuthentic)
        {
            var name = channel.Name;
            if (!gate.IsOpen)
            {
                return Unavailable(http, name, "stopping");
            }

            var body = await BodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            if (body is null)
            {
                metrics.Webhook(name, "too_large");
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            if (!isAuthentic(body))
            {
                metrics.Webhook(name, "unauthorized");
                return Results.Unauthorized();
            }

            try
            {
                // Not the request's token: once the body is in a batch it is stored whether or not the caller waits.
                await inbox.AppendAsync(channel, body, CancellationToken.None);
            }
#pragma warning disable CA1031 // Whatever failed the write (disk full, shutting down), the platform must retry.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Could not store a {Channel} webhook body", name);
                return Unavailable(http, name, "store_failed");
            }

            signals.BodiesStored.Set();
            metrics.Webhook(name, "accepted");
            return Results.Ok();
        }

        private IResult Unavailable(HttpContext http, string channel, string result)
        {
            metrics.Webhook(channel, result);
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }
}
