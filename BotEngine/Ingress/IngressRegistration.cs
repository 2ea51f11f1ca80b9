namespace BotEngine.Ingress;

internal static class IngressRegistration
{
    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngressGate>();
        builder.Services.AddSingleton<WebhookEndpoints.Ingress>();
        // BotEngine:MaxBodyBytes is the one limit, enforced (413) while reading.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = null);
        return builder;
    }
}
