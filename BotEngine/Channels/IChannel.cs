namespace BotEngine.Channels;

/// <summary>
/// One chat platform as the rest of the engine sees it. Each folder under <c>Channels/</c> implements it once and
/// registers it, with everything else it needs (options, signature, API client, <c>IChannelDelivery</c>), in its own
/// <c>Add…</c> method, called from <see cref="ChannelRegistration"/>: the one line that names the channel outside its folder.
/// </summary>
internal interface IChannel
{
    Channel Id { get; }

    /// <summary>Splits a stored webhook body into events. May throw: the caller dead-letters the body with the error.</summary>
    ParsedBody Parse(byte[] body);

    /// <summary>
    /// What a dead letter's stored payload reads as now (after a parser fix, or with broken bytes replaced): for most
    /// channels the body of its one event, so the same as <see cref="Parse"/>.
    /// </summary>
    ParsedBody ParseStored(byte[] payload) => Parse(payload);

    /// <summary>
    /// Maps the channel's endpoints: its webhook under <paramref name="webhooks"/> (<c>/webhooks</c>: anonymous,
    /// the webhook body limit; <c>MapWebhook</c>), anything else on <paramref name="app"/>. A channel that is off answers 404.
    /// </summary>
    void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks);

    /// <summary>
    /// How a request to the channel's webhook (<c>POST /webhooks/{name}</c>) proves it is the platform's, while the
    /// channel is on; null while it is off (the webhook answers 404) or for a channel without a webhook. Asked once,
    /// at the first request (options are fixed by then).
    /// </summary>
    WebhookCheck? Webhook(IServiceProvider services) => null;

    /// <summary>One phrase for the start-up log: on, or off and which setting turns it on.</summary>
    string Describe(IServiceProvider services);
}
