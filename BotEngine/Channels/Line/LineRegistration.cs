namespace BotEngine.Channels.Line;

internal static class LineRegistration
{
    public static IHostApplicationBuilder AddLine(this IHostApplicationBuilder builder) => builder;
}
