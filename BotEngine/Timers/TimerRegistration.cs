using BotEngine.Queue;

namespace BotEngine.Timers;

internal static class TimerRegistration
{
    /// <summary>Durable timers in queue.db and the worker that fires them; needs <c>AddDurableQueue</c> first.</summary>
    public static IHostApplicationBuilder AddTimers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimerStore>();
        builder.Services.AddHostedService<TimerWorker>();
        return builder;
    }
}
