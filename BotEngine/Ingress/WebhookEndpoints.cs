using BotEngine.Channels;
using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;
using BotEngine.Hosting;
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
        hooks.MapPost("/line", (HttpContext http, LineSignature signature, IOptions<LineOptions> line, Ingress ingress) =>
            line.Value.Enabled
                ? ingress.AcceptAsync(Channel.Line, http, body => signature.IsValid(http.Request.Headers["x-line-signature"], body))
                : Task.FromResult(Results.NotFound()));
        hooks.MapPost("/telegram", (HttpContext http, TelegramSecret secret, IOptions<TelegramOptions> telegram, Ingress ingress) =>
            telegram.Value.Enabled
                ? ingress.AcceptAsync(Channel.Telegram, http, _ => secret.IsValid(http.Request.Headers[TelegramSecret.Header]))
                : Task.FromResult(Results.NotFound()));
        hooks.MapMessenger();
        var services = app.ServiceProvider;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => LogChannels(services));
        return app;
    }

    // A newcomer without secrets should learn at once why LINE gets 404s, and where to chat instead. Once started:
    // options read while mapping would turn a bad setting into an exception before start-up can report it.
    private static void LogChannels(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebhookEndpoints));
        var line = services.GetRequiredService<IOptions<LineOptions>>().Value.Enabled;
        var telegram = services.GetRequiredService<IOptions<TelegramOptions>>().Value.Enabled;
        logger.LogInformation("Webhooks: LINE {Line}, Telegram {Telegram}; the dev chat page is at /dev",
            line ? "on" : "off (set Channels__Line__ChannelSecret)", telegram ? "on" : "off (set Channels__Telegram__BotToken)");
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
            var name = channel.Name();
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
