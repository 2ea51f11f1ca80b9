using BotEngine.Conversations;

namespace BotEngine.Outbound;

internal static class DeliveryRegistration
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConversations, AkkaConversations>();
        builder.Services.AddSingleton<IChannelDelivery, LineDelivery>();
        builder.Services.AddSingleton<IChannelDelivery, TelegramDelivery>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        return builder;
    }
}
