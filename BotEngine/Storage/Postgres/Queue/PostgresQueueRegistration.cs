using BotEngine.Queue;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BotEngine.Storage.Postgres.Queue;

internal static class PostgresQueueRegistration
{
    /// <summary>
    /// The queue's interfaces, resolved by <c>BotEngine:Storage</c> when first asked for (the mode is read from the
    /// options, not at registration: configuration added by a host builder later must count too). The SQLite stores
    /// are registered by AddDurableQueue (with SqlitePurge), AddTimers and AddAdmin; the PostgreSQL ones here, created only in that mode.
    /// </summary>
    public static IHostApplicationBuilder AddQueueStores(this IHostApplicationBuilder builder)
    {
        builder.AddStorageMode();
        var services = builder.Services;
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new PgQueueDatabase(storage.PostgresConnectionString!, storage.NodeName);
        });
        services.AddSingleton<PgAppendWriter>();
        services.AddSingleton<PgHealth>();
        services.AddSingleton<PgEventStore>();
        services.AddSingleton<PgInbox>();
        services.AddSingleton<PgTimers>();
        services.AddSingleton<PgBatches>();
        services.AddSingleton<PgDeadLetters>();
        services.AddSingleton<PgPurge>();
        services.AddSingleton<IEventStore>(sp => Pick<IEventStore, EventStore, PgEventStore>(sp));
        services.AddSingleton<IInboxStore>(sp => Pick<IInboxStore, InboxStore, PgInbox>(sp));
        services.AddSingleton<ITimerStore>(sp => Pick<ITimerStore, TimerStore, PgTimers>(sp));
        services.AddSingleton<IBatchStore>(sp => Pick<IBatchStore, BatchStore, PgBatches>(sp));
        services.AddSingleton<IDeadLetterStore>(sp => Pick<IDeadLetterStore, DeadLetterStore, PgDeadLetters>(sp));
        services.AddSingleton<IQueuePurge>(sp => Pick<IQueuePurge, SqlitePurge, PgPurge>(sp));
        services.AddHostedService<PostgresServerCheck>(); // before the queue starts: a refused server takes no webhook
        services.AddHostedService<PostgresNodeLock>(); // one single node, or one cluster's nodes, per database
        services.AddHostedService<PgQueueHost>();
        services.AddHealthChecks().AddCheck<PgHealthCheck>("postgres-queue");
        return builder;
    }

    private static T Pick<T, TSqlite, TPostgres>(IServiceProvider sp)
        where T : class where TSqlite : class, T where TPostgres : class, T =>
        sp.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? sp.GetRequiredService<TPostgres>()
            : sp.GetRequiredService<TSqlite>();
}

/// <summary>Unhealthy while the queue's writes to PostgreSQL fail (webhooks then get 503 and are redelivered).</summary>
internal sealed class PgHealthCheck(IServiceProvider services, IOptions<StorageOptions> storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres) return Task.FromResult(HealthCheckResult.Healthy());
        var health = services.GetRequiredService<PgHealth>();
        return Task.FromResult(health.Healthy
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"queue writes to PostgreSQL fail: {health.LastError}"));
    }
}
