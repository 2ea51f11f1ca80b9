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
    /// the webhook body limit), anything else on <paramref name="app"/>. A channel that is off answers 404.
    /// </summary>
    void Map(IEndpointRouteBuilder app, RouteGroupBuilder webhooks);

    /// <summary>One phrase for the start-up log: on, or off and which setting turns it on.</summary>
    string Describe(IServiceProvider services);
}
