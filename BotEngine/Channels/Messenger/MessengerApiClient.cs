using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BotEngine.Channels.Messenger.Dto;
using BotEngine.Outbound.Outage;
using BotEngine.Outbound.Transport;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messenger;

/// <summary>The Send API, one HTTP attempt per call; every answer becomes a <see cref="SendOutcome"/>.</summary>
internal interface IMessengerApi
{
    /// <summary>Sends one message to <paramref name="psid"/> as a response (<c>messaging_type: RESPONSE</c>).</summary>
    Task<SendOutcome> SendAsync(string psid, OutboundMessage message, CancellationToken ct);
}

/// <remarks>
/// The page access token travels in the Authorization header (the Graph API takes a bearer token as well as the
/// <c>access_token</c> parameter), so no URL holds it; <c>appsecret_proof</c> (HMAC-SHA256 of the token keyed with the
/// app secret) goes with every call, as apps set to "Require App Secret" need.
/// </remarks>
internal sealed class MessengerApiClient(
    HttpClient http, IOptions<MessengerOptions> options, PlatformCircuits circuits, TimeProvider clock) : IMessengerApi
{
    private const string What = "messenger send";
    private readonly string _path = $"./{options.Value.GraphVersion}/me/messages?appsecret_proof={Proof(options.Value)}";
    private readonly PlatformCall _call = new(http, circuits, MessengerChannel.Id.Name);

    public async Task<SendOutcome> SendAsync(string psid, OutboundMessage message, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SendRequest(new SendRecipient(psid), "RESPONSE", MessengerMessages.ToSend(message)),
            SendApiJson.Default.SendRequest);
        using var content = new MarkedContent(body, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = content };
        return await _call.SendAsync(request, What,
            (response, token) => MessengerErrors.ToOutcomeAsync(response, clock, token), null, ct);
    }

    /// <summary>Names the endpoint in <c>botengine_outbound_calls_total</c>: <c>messenger.messages</c>.</summary>
    public static string Endpoint(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && uri.AbsolutePath.EndsWith("/me/messages", StringComparison.Ordinal)
            ? "messenger.messages"
            : "messenger.other";

    private static string Proof(MessengerOptions options) => string.IsNullOrEmpty(options.AppSecret)
        || string.IsNullOrEmpty(options.PageAccessToken)
        ? ""
        : Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(options.AppSecret), Encoding.UTF8.GetBytes(options.PageAccessToken)));
}
