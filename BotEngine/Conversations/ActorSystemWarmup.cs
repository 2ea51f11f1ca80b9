using Akka.Actor;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// Starts, during start-up and while the thread pool is idle, what Akka would otherwise start on first use:
/// <list type="bullet">
/// <item>The scheduler. Akka 1.5 starts its timer wheel on the first schedule call (here a conversation actor's
/// receive timeout), and that call blocks its pool thread until the wheel's loop, queued on the same pool, has run.
/// When a few hundred conversations start at once on a busy pool, every pool thread ends up blocked there and the
/// loop's work item waits behind the queue; the pool adds about four threads a second, so the engine froze until
/// the queue had drained: 17-111 s measured (BENCHMARKS.md, "The 30-second stall"). Started here, the first call
/// returns at once and later calls never wait.</item>
/// <item>Every shard's journal and snapshot store. Their first use builds linq2db's mappings and checks the tables
/// (about 300 ms); started here it runs on another core while the host finishes starting, instead of after it
/// (the first /healthz and the first conversation waited for it), and never under a burst.</item>
/// </list>
/// </summary>
internal sealed class ActorSystemWarmup(IServiceProvider services) : IHostedService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), () => ticked.TrySetResult());
        await ticked.Task.WaitAsync(Limit, cancellationToken);

        // Creating the plugin actors is enough: each initializes itself in the background.
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            persistence.JournalFor(ConversationShards.JournalPluginId(shard));
            persistence.SnapshotStoreFor(ConversationShards.SnapshotPluginId(shard));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
