namespace BotEngine.Ingress;

internal static class IngressRegistration
{
    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngressGate>();
        builder.Services.AddSingleton<WebhookEndpoints.Ingress>();
        builder.Services.AddSingleton<WebhookHooks>();
        builder.AddHttpEdge();
        return builder;
    }
}
