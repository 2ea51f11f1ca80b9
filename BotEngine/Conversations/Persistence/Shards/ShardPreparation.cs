namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// <see cref="ShardFiles.Prepare"/> run on a pool thread while the host builds and starts: on a new data folder it is
/// mostly the fsyncs of four new files and their switch to WAL (30 ms of CPU, 140-580 ms of wall time on this shared
/// 2-core box), which held up the first <c>/healthz</c> 200 when it ran inline. <see cref="ActorSystemWarmup"/> awaits
/// it before the server listens, so a file of another layout still stops the start; no plugin starts before then.
/// </summary>
internal sealed class ShardPreparation
{
    private Task<PreparedShards>? _prepared;

    /// <summary>Completes when the shard files are ready (at once in Postgres mode: nothing to prepare).</summary>
    public Task Ready => _prepared ?? Task.CompletedTask;

    /// <summary>The prepared files; read by the journal and snapshot plugins, which start only after <see cref="Ready"/>.</summary>
    public PreparedShards Shards => (_prepared ?? throw new InvalidOperationException("The shard files were never prepared"))
        .GetAwaiter().GetResult();

    public void Start(BotEngineOptions options, ILogger logger) =>
        _prepared = Task.Run(() => ShardFiles.Prepare(options, logger));
}
