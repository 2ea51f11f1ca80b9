using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Journal;
using Akka.Persistence.Sql.Snapshot;
using BotEngine.Conversations.Persistence.Shards;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BotEngine.Storage.Postgres;

/// <summary>
/// Storage=Postgres: the conversation journal and snapshots in one PostgreSQL database (Akka.Persistence.Sql, linq2db
/// provider <c>PostgreSQL.15</c>). The same plugin ids as the SQLite shard files are registered, all pointing at the
/// same tables, so conversations pick their plugin exactly as in SQLite mode (a persistence id always writes through
/// one instance, so its writes never race), and the plugins are the library's own: the SQLite shard plugins' skip of
/// recovery queries for provably-new conversations holds only for a single writer process, which PostgreSQL does not
/// promise (several nodes share the database).
/// </summary>
internal static class PostgresJournals
{
    public const string ProviderName = "PostgreSQL.15";

    // Each of the 4 plugin pairs writes with this many connections; 4 x 3 = 12 stays inside the pool of 20.
    public const int Parallelism = 3;

    /// <summary>Connections this node's journal and snapshot plugins may open together.</summary>
    public const int PoolSize = 20;

    public static void Add(AkkaConfigurationBuilder akka, string connectionString, string[] healthTags)
    {
        var akkaConnection = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = "botengine-akka", // pg_stat_activity tells the journal's connections from the queue's
            MaxPoolSize = PoolSize,
        }.ConnectionString;
        PostgresSchema.Apply(akkaConnection);
        for (var shard = 0; shard < ConversationShards.Count; shard++)
        {
            var name = ConversationShards.Identifier(shard);
            akka.WithJournalAndSnapshot(
                new PostgresJournalOptions(akkaConnection, shard),
                new PostgresSnapshotOptions(akkaConnection, shard),
                journal => journal.WithHealthCheck(HealthStatus.Unhealthy, $"akka-journal-{name}", healthTags),
                snapshots => snapshots.WithHealthCheck(HealthStatus.Unhealthy, $"akka-snapshot-store-{name}", healthTags));
        }
    }

    internal static void AppendPlugin(StringBuilder sb, string connectionString, string pluginId, Type plugin)
    {
        sb.AppendLine($"connection-string = {connectionString.ToHocon()}");
        sb.AppendLine($"provider-name = {ProviderName.ToHocon()}");
        sb.AppendLine($"plugin-id = {pluginId.ToHocon()}");
        sb.AppendLine($"class = {$"{plugin.FullName}, {plugin.Assembly.GetName().Name}".ToHocon()}");
    }
}

/// <summary>One of the journal plugin instances on PostgreSQL (shard 0 is also Akka's default journal).</summary>
internal sealed class PostgresJournalOptions(string connectionString, int shard) : JournalOptions(shard == 0)
{
    public override string Identifier { get; set; } = ConversationShards.Identifier(shard);

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultJournalConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        PostgresJournals.AppendPlugin(sb, connectionString, PluginId, typeof(SqlWriteJournal));
        sb.AppendLine($"parallelism = {PostgresJournals.Parallelism}");
        sb.AppendLine("auto-initialize = off"); // PostgresSchema created the tables once, under a lock
        return base.Build(sb);
    }
}

/// <summary>One of the snapshot-store plugin instances on PostgreSQL (shard 0 is also Akka's default store).</summary>
internal sealed class PostgresSnapshotOptions(string connectionString, int shard) : SnapshotOptions(shard == 0)
{
    public override string Identifier { get; set; } = ConversationShards.Identifier(shard);

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultSnapshotConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        PostgresJournals.AppendPlugin(sb, connectionString, PluginId, typeof(SqlSnapshotStore));
        sb.AppendLine("auto-initialize = off");
        return base.Build(sb);
    }
}
