using BotEngine.Channels.Line;
using BotEngine.Channels.Messenger;
using BotEngine.Channels.Telegram;

namespace BotEngine.Channels;

internal static class ChannelRegistration
{
    public static IHostApplicationBuilder AddChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LineSignature>();
        return builder.AddLine().AddTelegram().AddMessenger();
    }
}
