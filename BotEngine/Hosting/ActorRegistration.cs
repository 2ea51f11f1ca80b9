namespace BotEngine.Hosting;

internal static class ActorRegistration
{
    public static IHostApplicationBuilder AddConversationActors(this IHostApplicationBuilder builder) => builder;
}
