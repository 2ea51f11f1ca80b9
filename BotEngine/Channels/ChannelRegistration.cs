using BotEngine.Channels.Dev;
using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;

namespace BotEngine.Channels;

/// <summary>
/// The one list of channels. A channel is its folder under <c>Channels/</c> and its line here (and in
/// <see cref="Commands"/> when it has a command): removing both removes it; nothing else in the engine names it.
/// </summary>
internal static class ChannelRegistration
{
    public static IHostApplicationBuilder AddChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelSet>();
        return builder
            .AddLine()           // LINE Messaging API: /webhooks/line, reply and push (or multicast), monthly quota
            .AddTelegram()       // Telegram Bot API: /webhooks/telegram, sendMessage, answerCallbackQuery
            .AddMessenger()      // Facebook Messenger: /webhooks/messenger, Send API, the 24-hour window
            .AddDevChannel();    // the dev chat page at /dev, always on
    }

    /// <summary>The channels' own commands (<c>botengine NAME …</c>), run without starting the server.</summary>
    public static IReadOnlyList<ChannelCommand> Commands { get; } = [TelegramCommand.Command];
}
