using BotEngine.Ingress;
using Microsoft.Extensions.Options;

namespace BotEngine.Channels.Telegram;

/// <summary>Telegram Bot API: <c>POST /webhooks/telegram</c> (the secret token header), on when its bot token is set.</summary>
internal sealed class TelegramChannel : IChannel
{
    public static readonly Channel Id = new("telegram");

    Channel IChannel.Id => Id;

    public ParsedBody Parse(byte[] body) => TelegramUpdateParser.Parse(body);

    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks) => webhooks.MapWebhook(Id);

    public WebhookCheck? Webhook(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<TelegramOptions>>().Value.Enabled) return null;
        var secret = services.GetRequiredService<TelegramSecret>();
        return (request, _) => secret.IsValid(request.Headers[TelegramSecret.Header]);
    }

    public string Describe(IServiceProvider services) =>
        services.GetRequiredService<IOptions<TelegramOptions>>().Value.Enabled ? "on" : "off (set Channels__Telegram__BotToken)";
}
