using BotEngine.Ingress;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Line;

/// <summary>LINE Messaging API: <c>POST /webhooks/line</c> (<c>x-line-signature</c>), on when its secret is set.</summary>
internal sealed class LineChannel : IChannel
{
    public static readonly Channel Id = new("line");

    Channel IChannel.Id => Id;

    public ParsedBody Parse(byte[] body) => LineWebhookParser.Parse(body);

    // A LINE dead letter holds one event's JSON (or a whole body when it could not be split).
    public ParsedBody ParseStored(byte[] payload) => LineWebhookParser.ParseStored(payload);

    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks) => webhooks.MapWebhook(Id);

    public WebhookCheck? Webhook(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<LineOptions>>().Value.Enabled) return null;
        var signature = services.GetRequiredService<LineSignature>();
        return (request, body) => signature.IsValid(request.Headers["x-line-signature"], body);
    }

    public string Describe(IServiceProvider services) =>
        services.GetRequiredService<IOptions<LineOptions>>().Value.Enabled ? "on" : "off (set Channels__Line__ChannelSecret)";
}
