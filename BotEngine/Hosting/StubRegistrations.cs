namespace BotEngine.Hosting;

internal static class StubRegistrations
{
    public static IHostApplicationBuilder AddBotEngineLogging(this IHostApplicationBuilder builder) => builder;
    public static IHostApplicationBuilder AddDurableQueue(this IHostApplicationBuilder builder) => builder;
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder) => builder;
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder) => builder;
    public static WebApplication MapWebhooks(this WebApplication app) => app;
    public static WebApplication MapOperations(this WebApplication app) => app;
    public static WebApplication MapAdmin(this WebApplication app) => app;
}
