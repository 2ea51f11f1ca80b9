using BotEngine.Storage;
using BotEngine.Storage.Postgres.Queue;

namespace BotEngine.Queue;

internal static class QueueRegistration
{
    public static IHostApplicationBuilder AddDurableQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SqliteDatabase>();
        builder.Services.AddSingleton<SqliteWriter>();
        builder.Services.AddSingleton<QueueSignals>();
        builder.Services.AddSingleton<IngestActivity>();
        builder.Services.AddSingleton<InboxStore>();
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<BatchStore>();
        builder.Services.AddSingleton<SqlitePurge>();
        // First registered: started first, stopped last.
        builder.Services.AddHostedService<QueueHost>();
        // The seam: IEventStore, IInboxStore, … are the stores above, or with Storage=Postgres the PostgreSQL ones
        // (queue.db then stays open but idle). Right after QueueHost: started second, stopped second to last.
        builder.AddQueueStores();
        builder.Services.AddHostedService<SplitterWorker>();
        // Both modes: the purge statements are the mode's IQueuePurge; the disk probe is SQLite's alone.
        builder.Services.AddSingleton<PurgeWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PurgeWorker>());
        builder.Services.AddHostedService<StorageProbeWorker>();
        return builder;
    }
}
