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

    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks) =>
        webhooks.MapPost("/line", (HttpContext http, LineSignature signature, IOptions<LineOptions> line,
            WebhookEndpoints.Ingress ingress) => line.Value.Enabled
                ? ingress.AcceptAsync(Id, http, body => signature.IsValid(http.Request.Headers["x-line-signature"], body))
                : Task.FromResult(Results.NotFound()));

    public string Describe(IServiceProvider services) =>
        services.GetRequiredService<IOptions<LineOptions>>().Value.Enabled ? "on" : "off (set Channels__Line__ChannelSecret)";
}
