using Akka.Actor;

namespace BotEngine.Hosting;

/// <summary>
/// Starts Akka's scheduler during start-up, while the thread pool is idle. Akka 1.5 starts its timer wheel on the
/// first schedule call (here a conversation actor's receive timeout), and that call blocks its pool thread until the
/// wheel's loop, queued on the same pool, has run. When a few hundred conversations start at once on a busy pool,
/// every pool thread ends up blocked there and the loop's work item waits behind the queue; the pool adds about four
/// threads a second, so the engine froze until the queue had drained: 17-37 s measured (BENCHMARKS.md, "The
/// 30-second stall"). Started here, that first call returns at once and later calls never wait.
/// </summary>
internal sealed class ActorSchedulerStart(IServiceProvider services) : IHostedService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), () => ticked.TrySetResult());
        await ticked.Task.WaitAsync(Limit, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class ActorSchedulerStartRegistration
{
    /// <summary>Call after <c>AddConversationActors</c>: hosted services start in order, so the actor system is up.</summary>
    public static IHostApplicationBuilder AddActorSchedulerStart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<ActorSchedulerStart>();
        return builder;
    }
}
