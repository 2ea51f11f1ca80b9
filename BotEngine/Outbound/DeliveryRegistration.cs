using BotEngine.Operations;
using BotEngine.Conversations;
using BotEngine.Outbound.Outage;

namespace BotEngine.Outbound;

internal static class DeliveryRegistration
{
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.AddOutageCircuits();
        builder.Services.AddSingleton<IConversations>(sp => Cluster.ClusterRegistration.Conversations(sp)); // router or shard region
        builder.Services.AddSingleton<EventOutcomes>();
        builder.Services.AddSingleton<DeliveryLoad>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddAfterFirstAnswer<DeliveryWorker>(); // once the server answered
        return builder;
    }
}
