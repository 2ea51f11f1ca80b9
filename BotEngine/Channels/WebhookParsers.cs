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

    private static ParsedBody Failed(string error, byte[]? body = null) =>
        new([], [new MalformedEvent(-1, null, body is null ? "" : System.Text.Encoding.UTF8.GetString(body), error)]);
}
