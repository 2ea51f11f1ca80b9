using Akka.Actor;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// Starts what Akka would otherwise start on first use, in two steps:
/// <list type="bullet">
/// <item>Before the server listens: the scheduler. Akka 1.5 starts its timer wheel on the first schedule call (here a
/// conversation actor's receive timeout), and that call blocks its pool thread until the wheel's loop, queued on the
/// same pool, has run. When a few hundred conversations start at once on a busy pool, every pool thread ends up
/// blocked there and the loop's work item waits behind the queue; the pool adds about four threads a second, so the
/// engine froze until the queue had drained: 17-111 s measured (BENCHMARKS.md, "The 30-second stall"). Started here,
/// the first call returns at once and later calls never wait. It costs about 20 ms.</item>
/// <item>Once the server has answered its first request (<see cref="Operations.FirstAnswer"/>): every shard's journal
/// and snapshot store. Each one's
/// first use builds linq2db's mappings (about 430 ms of a pool thread for each of the 8 on this 2-core box); before
/// the server listened they were most of the CPU before the first <c>/healthz</c> 200, though webhooks need none of
/// them (a body is committed to the queue, not to a journal). A conversation asked meanwhile waits in its plugin's
/// mailbox, not on a blocked thread. <see cref="Warmed"/> completes when all 8 answered their health check.</item>
/// </list>
/// </summary>
internal sealed class ActorSystemWarmup(IServiceProvider services, Operations.FirstAnswer first, ILogger<ActorSystemWarmup> log) : IHostedLifecycleService, IDisposable
{
    private static readonly TimeSpan TickLimit = TimeSpan.FromSeconds(10);
    // Well over the 8 plugins' start on a loaded 2-core machine (a few seconds); a plugin that never answers is
    // reported by its own health check from then on.
    private static readonly TimeSpan PluginLimit = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Completes when every journal and snapshot store has started (or failed to, or the host stopped).</summary>
    public Task Warmed => _warmed.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromMilliseconds(1), () => ticked.TrySetResult());
        await ticked.Task.WaitAsync(TickLimit, cancellationToken);
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _ = WarmPluginsAsync(services.GetRequiredService<ActorSystem>());
        return Task.CompletedTask;
    }

    private async Task WarmPluginsAsync(ActorSystem system)
    {
        try
        {
            await first.WaitAsync(_stopping.Token);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            limit.CancelAfter(PluginLimit);
            // A health check creates its plugin actor and answers once the plugin has started. One at a time: the
            // first requests after start compete with one plugin's start for the 2 cores, not with 8 (a conversation
            // asked meanwhile creates its own plugins at once).
            var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
            for (var shard = 0; shard < ConversationShards.Count; shard++)
            {
                await persistence.CheckJournalHealthAsync(ConversationShards.JournalPluginId(shard), limit.Token);
                await persistence.CheckSnapshotStoreHealthAsync(ConversationShards.SnapshotPluginId(shard), limit.Token);
            }
        }
#pragma warning disable CA1031 // A plugin that fails to start is reported by its health check; the warmup only ends.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!_stopping.IsCancellationRequested) log.LogWarning(ex, "Conversation storage warm-up did not finish");
        }
        finally
        {
            _warmed.TrySetResult();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
