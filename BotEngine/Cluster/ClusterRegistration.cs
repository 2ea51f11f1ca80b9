using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using BotEngine.Conversations;
using BotEngine.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace BotEngine.Cluster;

/// <summary>
/// Cluster mode: Akka.Remote + Akka.Cluster + a shard region of conversation actors (entity id = lane). Every node
/// hosts conversations and takes webhooks; the queue in PostgreSQL lets any node claim any lane, and sharding sends
/// the event to the one node where its conversation lives.
/// </summary>
internal static class ClusterRegistration
{
    public const string RegionName = "conversation";

    public static IHostApplicationBuilder AddClusterMode(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterModeOptions>().BindConfiguration(ClusterModeOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterModeOptions>, ClusterModeOptionsValidator>();
        builder.Services.AddSingleton(services =>
        {
            var cluster = services.GetRequiredService<IOptions<ClusterModeOptions>>().Value;
            return new ClusterNodes(cluster.Enabled ? cluster.SeedNodes.Count : 1); // the planned size until Up
        });
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ClusterHealthCheck.AlwaysShown]);
        return builder;
    }

    public static IConversations Conversations(IServiceProvider services) =>
        services.GetRequiredService<IOptions<ClusterModeOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<ShardedConversations>(services)
            : ActivatorUtilities.CreateInstance<AkkaConversations>(services);

    /// <summary>Adds remoting, clustering and the conversation shard region when cluster mode is on.</summary>
    public static void Configure(AkkaConfigurationBuilder akka, IServiceProvider services)
    {
        var cluster = services.GetRequiredService<IOptions<ClusterModeOptions>>().Value;
        if (!cluster.Enabled) return;
        if (!services.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres)
        {
            throw new InvalidOperationException("BotEngine:Cluster:Enabled needs BotEngine:Storage=Postgres (the nodes share the queue and the journal)");
        }

        var bot = services.GetRequiredService<IBot>();
        var settings = services.GetRequiredService<ConversationSettings>();
        var failures = services.GetRequiredService<ReplayFailures>();
        var idle = services.GetRequiredService<IOptions<BotEngineOptions>>().Value.ConversationIdleTimeout;
        akka.WithCustomSerializer(WireSerializer.Name, WireSerializer.BoundTypes, system => new WireSerializer(system))
            .WithRemoting(new RemoteOptions
            {
                HostName = cluster.Host,
                PublicHostName = cluster.EffectivePublicHost,
                Port = cluster.Port,
                // An EventHandled with many long messages must fit (the default frame is 128,000 bytes).
                MaxFrameSize = 1024 * 1024,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = cluster.SeedNodes.Select(s => $"akka.tcp://{ActorRegistration.SystemName}@{s}").ToArray(),
                Roles = cluster.Roles.ToArray(),
                // keep-majority: a lease-majority needs a lease implementation (none is served), and static-quorum a
                // fixed size. With 3 nodes, losing 1 keeps the 2 going; a lone minority downs itself and exits (systemd
                // restarts it and it rejoins). Webhooks are taken meanwhile on every live node: ingress needs only PostgreSQL.
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .AddHocon($"""
                akka.cluster.split-brain-resolver.stable-after = {(long)cluster.StableAfter.TotalMilliseconds}ms
                akka.cluster.failure-detector.acceptable-heartbeat-pause = {(long)cluster.HeartbeatPause.TotalMilliseconds}ms
                """, HoconAddMode.Prepend)
            .WithShardRegion<ConversationShardRegion>(RegionName,
                lane => ConversationEntity.Props(ConversationKey.FromLane(lane), bot, settings, failures),
                new ConversationMessageExtractor(cluster.Shards),
                new ShardOptions
                {
                    // Shard locations in replicated memory; nothing is persisted (entities recover on demand).
                    StateStoreMode = StateStoreMode.DData,
                    RememberEntities = false,
                    // The entity stops its conversation with the router's stop command, which waits behind a persist
                    // in flight, so a handed-off conversation finishes its write before it moves.
                    HandOffStopMessage = StopConversation.Instance,
                })
            .WithActors((system, _) => system.ActorOf(
                MembershipWatcher.Props(services.GetRequiredService<ClusterNodes>()), "membership"))
            .AddHocon($"akka.cluster.sharding.passivate-idle-entity-after = {(long)idle.TotalMilliseconds}ms", HoconAddMode.Prepend);
    }
}
