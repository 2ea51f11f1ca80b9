namespace BotEngine.Channels.Dev;

/// <summary>The dev chat page at <c>/dev</c> and its API (<see cref="DevEndpoints"/>), always on.</summary>
internal sealed class DevChannel : IChannel
{
    public static readonly Channel Id = new("dev");

    Channel IChannel.Id => Id;

    public ParsedBody Parse(byte[] body) => DevWebhookParser.Parse(body);

    public void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks) => app.MapDevChannel();

    public string Describe(IServiceProvider services) => "on (the chat page is at /dev)";
}
