using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;

namespace BotEngine.Channels;

/// <summary>Which parser splits which channel's bodies.</summary>
internal static class WebhookParsers
{
    public static ParsedBody Parse(Channel channel, byte[] body)
    {
        try
        {
            return channel switch
            {
                Channel.Line => LineWebhookParser.Parse(body),
                Channel.Telegram => TelegramUpdateParser.Parse(body),
                Channel.Dev => Dev.DevWebhookParser.Parse(body),
                Channel.Messenger => MessengerWebhookParser.Parse(body),
                _ => Failed($"no parser for channel '{channel.Name()}'"),
            };
        }
#pragma warning disable CA1031 // A parser bug must dead-letter the body, not stop the splitter for every body after it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed($"parser failed: {ex.GetType().Name}: {ex.Message}", body);
        }
    }

    /// <summary>
    /// What a dead letter's stored payload reads as now (after an upgrade of the parser, or with the bad bytes it had
    /// replaced): for LINE one event's JSON (or a whole body), for the other channels the body of their one event.
    /// </summary>
    public static ParsedBody ParseStored(Channel channel, string payload)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        try
        {
            return channel == Channel.Line ? LineWebhookParser.ParseStored(bytes) : Parse(channel, bytes);
        }
#pragma warning disable CA1031 // As in Parse: a parser bug keeps the event dead with its message.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed($"parser failed: {ex.GetType().Name}: {ex.Message}", bytes);
        }
    }

    private static ParsedBody Failed(string error, byte[]? body = null) =>
        new([], [new MalformedEvent(-1, null, body is null ? "" : System.Text.Encoding.UTF8.GetString(body), error)]);
}
