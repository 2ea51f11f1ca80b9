namespace BotEngine.Channels;

/// <summary>
/// One event split out of a webhook body, in the channel-neutral shape the queue stores.
/// </summary>
/// <param name="EventId">The platform's id for deduplication (LINE <c>webhookEventId</c>, Telegram <c>update_id</c>).</param>
/// <param name="Conversation">Whose lane this event joins: the user in a 1:1 chat, else the group or room.</param>
/// <param name="Recipient">Where answers go (push <c>to</c>): the user, group or room id.</param>
/// <param name="Input">What the conversation's state machine sees.</param>
/// <param name="ReplyToken">Single-use token for a free reply, when the platform gave one.</param>
/// <param name="Standby">True when the platform says this bot must not answer (LINE <c>mode: standby</c>).</param>
/// <param name="OccurredAt">The platform's timestamp of the event.</param>
/// <param name="Payload">The event's own JSON, kept verbatim.</param>
public sealed record InboundEvent(
    string EventId,
    string Conversation,
    string Recipient,
    ConversationInput Input,
    string? ReplyToken,
    bool Standby,
    DateTimeOffset OccurredAt,
    string Payload);

/// <summary>An event of a body that could not be understood; it is stored and dead-lettered with its error.</summary>
/// <param name="EventId">The event's id when it could be read, else null (the queue then makes one from the body).</param>
public sealed record MalformedEvent(int Index, string? EventId, string Payload, string Error)
{
    /// <summary>Its id for deduplication: the platform's when readable, else the payload's hash (a redelivered body
    /// then still stores it once). Every queue store must use this one.</summary>
    public string DedupeId => EventId ?? "malformed-" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Payload)))[..32];
}

/// <summary>What a webhook body split into. A body that is not JSON at all yields one malformed event.</summary>
public sealed record ParsedBody(IReadOnlyList<InboundEvent> Events, IReadOnlyList<MalformedEvent> Malformed)
{
    public static ParsedBody Empty { get; } = new([], []);
}

/// <summary>
/// The part of an event a conversation reacts to, the same for every channel.
/// </summary>
/// <param name="Kind">
/// <c>text</c>, <c>postback</c>, <c>follow</c>, <c>unfollow</c>, <c>join</c>, <c>leave</c>, or
/// <c>message.image</c>-style names for other message types and the platform's own event type otherwise.
/// </param>
/// <param name="Text">The text of a text message, else null.</param>
/// <param name="Data">Postback data, else null.</param>
/// <param name="UserId">The sender, when known (in groups the member who wrote).</param>
public sealed record ConversationInput(string Kind, string? Text = null, string? Data = null, string? UserId = null)
{
    public const string TextKind = "text";
    public const string PostbackKind = "postback";
}
