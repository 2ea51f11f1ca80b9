using Akka.Actor;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// Starts Akka's scheduler before the server listens. Akka 1.5 starts its timer wheel on the first schedule call (here
/// a conversation actor's receive timeout), and that call blocks its pool thread until the wheel's loop, queued on the
/// same pool, has run. When a few hundred conversations start at once on a busy pool, every pool thread ends up
/// blocked there and the loop's work item waits behind the queue; the pool adds about four threads a second, so the
/// engine froze until the queue had drained: 17-111 s measured (BENCHMARKS.md, "The 30-second stall"). Started here,
/// the first call returns at once and later calls never wait. It costs about 20 ms. Then it waits for the shard files
/// (<see cref="ShardPreparation"/>); the journals and snapshot stores start later (<see cref="StorageWarmup"/>).
/// </summary>
internal sealed class ActorSystemWarmup(ActorSystem system, ShardPreparation shards) : IHostedService
{
    private static readonly TimeSpan TickLimit = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), () => ticked.TrySetResult());
        await ticked.Task.WaitAsync(TickLimit, cancellationToken);
        await shards.Ready.WaitAsync(cancellationToken); // a file of another layout stops the start here
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
