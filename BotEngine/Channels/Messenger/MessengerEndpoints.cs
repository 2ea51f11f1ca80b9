using System.Security.Cryptography;
using System.Text;
using BotEngine.Ingress;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messenger;

/// <summary>
/// <c>GET /webhooks/messenger</c>: Meta's verify handshake. <c>POST /webhooks/messenger</c>: the signature, then the
/// same durable append as every channel and 200 after the commit (Meta waits 20 s at most; the append takes ms).
/// </summary>
internal static class MessengerEndpoints
{
    public static RouteGroupBuilder MapMessenger(this RouteGroupBuilder hooks)
    {
        hooks.MapGet("/messenger", (HttpRequest request, IOptions<MessengerOptions> options) =>
            Verify(request.Query, options.Value));
        hooks.MapWebhook(MessengerChannel.Id);
        return hooks;
    }

    /// <summary>The POST's check while the channel is on (<see cref="IChannel.Webhook"/>).</summary>
    public static WebhookCheck? Webhook(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<MessengerOptions>>().Value.Enabled) return null;
        var signature = services.GetRequiredService<MessengerSignature>();
        return (request, body) => signature.IsValid(request.Headers[MessengerSignature.Header], body);
    }

    // hub.mode=subscribe with our verify token: echo hub.challenge as plain text (Meta's Webhooks "Getting started").
    private static IResult Verify(IQueryCollection query, MessengerOptions options)
    {
        if (!options.Enabled) return Results.NotFound();
        string? mode = query["hub.mode"], token = query["hub.verify_token"], challenge = query["hub.challenge"];
        var expected = options.VerifyToken;
        if (mode != "subscribe" || token is null || string.IsNullOrEmpty(expected)
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected)))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        return string.IsNullOrEmpty(challenge)
            ? Results.BadRequest("hub.challenge is missing")
            : Results.Text(challenge, "text/plain", Encoding.UTF8);
    }
}
