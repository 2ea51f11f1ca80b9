using Akka;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using BotEngine.Cluster;
using BotEngine.Conversations.Persistence;
using BotEngine.Conversations.Persistence.Format;
using BotEngine.Conversations.Persistence.Shards;
using BotEngine.Operations;
using BotEngine.Storage;
using BotEngine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Conversations;

/// <summary>
/// Akka.NET for conversations: journal and snapshots in <c>{DataDirectory}/conversations-{shard}.db</c>, Akka logs into
/// Microsoft.Extensions.Logging, and <see cref="ConversationRouter"/> in the ActorRegistry
/// (inject <c>IRequiredActor&lt;ConversationRouter&gt;</c>).
/// </summary>
internal static class ActorRegistration
{
    public const string SystemName = "botengine";
    public const string RouterName = "conversations";

    /// <summary>Tags of the journal and snapshot-store health checks (Akka.Hosting adds <c>akka.net</c> too).</summary>
    public static readonly string[] PersistenceHealthTags = ["akka", "persistence"];

    // The host stops hosted services in reverse order, so the delivery worker registered later stops asking first;
    // this phase then lets each conversation finish its write (and a snapshot in flight) before the system ends.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    // Akka's own SIGTERM hook (on by default) started this shutdown ~30 ms after the signal, before the host raised
    // ApplicationStopping, so the delivery worker drained against stopped conversations (ShutdownOrderTests). Off:
    // Akka.Hosting's hosted service runs it when the host stops it, after the workers registered later.
    private const string DrainPhaseHocon = """
        akka.coordinated-shutdown.phases.service-stop.timeout = 12s
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """;

    public static IHostApplicationBuilder AddConversationActors(this IHostApplicationBuilder builder)
    {
        // The IBot comes from AddFlows (or a test); TryAdd: settings registered before this call win.
        builder.Services.TryAddSingleton(sp =>
            new ConversationSettings(sp.GetRequiredService<IOptions<BotEngineOptions>>().Value.ConversationIdleTimeout));
        builder.Services.TryAddSingleton<EngineMetrics>();
        builder.Services.AddSingleton<ReplayFailures>();
        builder.Services.AddHealthChecks().AddCheck<ReplayFailures>("conversations");
        builder.AddStorageMode();
        builder.AddClusterMode();

        builder.Services.AddAkka(SystemName, (akka, sp) =>
        {
            var options = sp.GetRequiredService<IOptions<BotEngineOptions>>().Value;
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            if (storage.IsPostgres) PostgresJournals.Add(akka, storage.PostgresConnectionString!, PersistenceHealthTags);
            else AddShardFiles(akka, sp, options);
            ClusterRegistration.Configure(akka, sp); // BotEngine:Cluster:Enabled: remoting, cluster, shard region
            akka.AddHocon(DrainPhaseHocon, HoconAddMode.Prepend)
                .WithCustomSerializer(ConversationSerializer.Name, ConversationSerializer.BoundTypes,
                    system => new ConversationSerializer(system))
                .ConfigureLoggers(logging =>
                {
                    logging.ClearLoggers();
                    logging.AddLoggerFactory();
                });
            akka
                .WithActors((system, registry) =>
                {
                    var router = system.ActorOf(
                        ConversationRouter.Props(sp.GetRequiredService<IBot>(), sp.GetRequiredService<ConversationSettings>(),
                            sp.GetRequiredService<ReplayFailures>()),
                        RouterName);
                    registry.Register<ConversationRouter>(router);
                    var shutdown = CoordinatedShutdown.Get(system);
                    shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "stop-conversations", () => DrainAsync(router));
                    var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ActorRegistration));
                    shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "log-start", () =>
                    {
                        log.LogInformation("Akka coordinated shutdown started ({Reason})", shutdown.ShutdownReason);
                        return Task.FromResult(Done.Instance);
                    });
                });
        });
        // After AddAkka: hosted services start in order, so the actor system is up when the warmup runs.
        builder.Services.AddSingleton<ShardPreparation>();
        builder.Services.AddHostedService<ActorSystemWarmup>();
        builder.Services.AddSingleton<StorageWarmup>();
        builder.Services.AddAfterFirstAnswer<StorageWarmup>();
        builder.Services.AddWarmingHealth(PersistenceHealthTags);
        return builder;
    }

    private static void AddShardFiles(AkkaConfigurationBuilder akka, IServiceProvider sp, BotEngineOptions options)
    {
        // Shard files created, checked, migrated from an earlier build and in WAL before any plugin starts: on a pool
        // thread meanwhile (ShardPreparation), awaited before the server listens (ActorSystemWarmup).
        var loggers = sp.GetRequiredService<ILoggerFactory>();
        var preparation = sp.GetRequiredService<ShardPreparation>();
        preparation.Start(options, loggers.CreateLogger(typeof(ShardFiles)));
        var paths = ShardFiles.PathsIn(options.ResolveDataDirectory());
        var connectionStrings = paths.Select(SqliteDatabase.ConnectionStringFor).ToArray();
        akka.AddSetup(SqlitePersistence.ConnectionSetup(connectionStrings, options.Durability))
            .AddSetup(new ShardsSetup(preparation, paths, options.Durability, loggers));
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            var name = ConversationShards.Identifier(shard);
            // No auto-initialize: ShardFiles created the same tables; each of the 8 plugins' own CREATE pass
            // through linq2db cost a pool thread about 170 ms at start (a profile of the start-up).
            akka.WithJournalAndSnapshot(
                new SqliteJournalOptions(connectionStrings[shard], shard) { AutoInitialize = false },
                new SqliteSnapshotOptions(connectionStrings[shard], shard) { AutoInitialize = false },
                journal => journal.WithHealthCheck(HealthStatus.Unhealthy, $"akka-journal-{name}", PersistenceHealthTags),
                snapshots => snapshots.WithHealthCheck(HealthStatus.Unhealthy, $"akka-snapshot-store-{name}", PersistenceHealthTags));
        }
    }

    private static async Task<Done> DrainAsync(IActorRef router)
    {
        try
        {
            return await router.Ask<Done>(StopConversations.Instance, DrainTimeout);
        }
        catch (AskTimeoutException)
        {
            return Done.Instance; // the journal already holds every answered event; a late snapshot only costs replay
        }
    }
}
