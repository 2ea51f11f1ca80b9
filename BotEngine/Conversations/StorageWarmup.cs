using Akka.Actor;
using BotEngine.Conversations.Persistence.Shards;

namespace BotEngine.Conversations;

/// <summary>
/// Starts every shard's journal and snapshot store once the server has answered its first request (registered with
/// <see cref="Operations.AfterFirstAnswer"/>). Each one's first use builds linq2db's mappings (about 430 ms of a pool
/// thread for each of the 8 on this 2-core box); before the server listened they were most of the CPU before the first
/// <c>/healthz</c> 200, though webhooks need none of them (a body is committed to the queue, not to a journal). A
/// conversation asked meanwhile waits in its plugin's mailbox, not on a blocked thread. <see cref="Warmed"/> completes
/// when all 8 answered their health check.
/// </summary>
internal sealed class StorageWarmup(ActorSystem system, ILogger<StorageWarmup> log) : IHostedService
{
    // Well over the 8 plugins' start on a loaded 2-core machine (a few seconds); a plugin that never answers is
    // reported by its own health check from then on.
    private static readonly TimeSpan PluginLimit = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every journal and snapshot store has started (or failed to, or the host stopped).</summary>
    public Task Warmed => _warmed.Task;

    /// <summary>Runs until every plugin answered; <paramref name="cancellationToken"/> is cancelled when the host stops.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
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
            if (!cancellationToken.IsCancellationRequested) log.LogWarning(ex, "Conversation storage warm-up did not finish");
        }
        finally
        {
            _warmed.TrySetResult();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
