using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Messenger;

/// <summary>Facebook Messenger: <c>GET|POST /webhooks/messenger</c> (<see cref="MessengerEndpoints"/>), on when its secrets are set.</summary>
internal sealed class MessengerChannel : IChannel
{
    public static readonly Channel Id = new("messenger");

    Channel IChannel.Id => Id;

    public ParsedBody Parse(byte[] body) => MessengerWebhookParser.Parse(body);

    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks) => webhooks.MapMessenger();

    public WebhookCheck? Webhook(IServiceProvider services) => MessengerEndpoints.Webhook(services);

    public string Describe(IServiceProvider services) =>
        services.GetRequiredService<IOptions<MessengerOptions>>().Value.Enabled
            ? "on" : "off (set Channels__Messenger__AppSecret and Channels__Messenger__PageAccessToken)";
}
