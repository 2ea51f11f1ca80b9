using System.Text.Json;

namespace BotEngine.Channels.Dev;

/// <summary>
/// The body the dev endpoint stores for one message (it chooses the event id and time, as a platform would).
/// Exactly one of <paramref name="Text"/> (a typed message) and <paramref name="Data"/> (a postback) is set.
/// </summary>
internal sealed record DevInbound(string EventId, string User, string? Text, string? Data, long Timestamp);

/// <summary>Splits a stored dev body into its one event: the user is both the conversation and the recipient.</summary>
internal static class DevWebhookParser
{
    public static ParsedBody Parse(byte[] body)
    {
        var inbound = JsonSerializer.Deserialize<DevInbound>(body, DevJson.Options);
        var payload = System.Text.Encoding.UTF8.GetString(body);
        if (inbound is null || string.IsNullOrEmpty(inbound.EventId) || !DevUsers.IsValid(inbound.User)
            || (inbound.Text is null) == (inbound.Data is null))
        {
            return new([], [new MalformedEvent(0, inbound?.EventId, payload, "dev body needs eventId, user and text or data")]);
        }

        var input = inbound.Text is not null
            ? new ConversationInput(ConversationInput.TextKind, Text: inbound.Text, UserId: inbound.User)
            : new ConversationInput(ConversationInput.PostbackKind, Data: inbound.Data, UserId: inbound.User);
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(inbound.Timestamp);
        return new([new InboundEvent(inbound.EventId, inbound.User, inbound.User, input, null, false, occurredAt, payload)], []);
    }
}

/// <summary>JSON as the dev page speaks it: camelCase, nulls left out.</summary>
internal static class DevJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Simulated user names: short, and safe in a lane key, an actor name and a URL.</summary>
internal static class DevUsers
{
    public const int MaxLength = 64;

    public static bool IsValid(string? user) =>
        !string.IsNullOrEmpty(user) && user.Length <= MaxLength
        && user.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
