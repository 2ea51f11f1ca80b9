using System.Data.Common;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using BotEngine.Conversations.Persistence.Shards;
using LinqToDB;

namespace BotEngine.Conversations.Persistence;

/// <summary>
/// Akka.Persistence.Sql on the conversation shard files (a busy queue in the same file starves the journal of its
/// write lock): Akka.Persistence.Sql.Hosting is not served, so the two options types are written here; per-connection
/// PRAGMAs go through linq2db's connection hook, one <see cref="DataOptions"/> per plugin.
/// </summary>
internal static class SqlitePersistence
{
    public const string ProviderName = "SQLite.MS";

    // Microsoft.Data.Sqlite retries a busy database itself (150 ms steps up to the 30 s command timeout);
    // busy_timeout lets SQLite wait for the lock without those coarse sleeps.
    private const int BusyTimeoutMs = 5000;

    /// <summary>The Akka setup that points each shard's journal and snapshot store at its file, with the per-connection PRAGMAs.</summary>
    public static MultiDataOptionsSetup ConnectionSetup(IReadOnlyList<string> connectionStrings, Durability durability)
    {
        var pragmas = $"PRAGMA synchronous={(durability == Durability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={BusyTimeoutMs};";
        var setup = new MultiDataOptionsSetup();
        for (var shard = 0; shard < connectionStrings.Count; shard++)
        {
            var options = new DataOptions()
                .UseConnectionString(LinqToDB.ProviderName.SQLiteMS, connectionStrings[shard])
                .UseAfterConnectionOpened(
                    connection => Run(connection, pragmas),
                    async (connection, ct) =>
                    {
                        await using var command = connection.CreateCommand();
                        command.CommandText = pragmas;
                        await command.ExecuteNonQueryAsync(ct);
                    });
            setup.AddDataOptions(ConversationShards.JournalPluginId(shard), options);
            setup.AddDataOptions(ConversationShards.SnapshotPluginId(shard), options);
        }

        return setup;
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static void AppendPlugin(StringBuilder sb, string connectionString, int shard, string pluginId, Type plugin)
    {
        sb.AppendLine($"connection-string = {connectionString.ToHocon()}");
        sb.AppendLine($"provider-name = {ProviderName.ToHocon()}");
        sb.AppendLine($"plugin-id = {pluginId.ToHocon()}");
        sb.AppendLine($"class = {$"{plugin.FullName}, {plugin.Assembly.GetName().Name}".ToHocon()}");
        sb.AppendLine($"{ShardsSetup.ShardKey} = {shard}");
    }
}

/// <summary>The journal of one shard file (shard 0 is also Akka's default journal).</summary>
internal sealed class SqliteJournalOptions(string connectionString, int shard) : JournalOptions(shard == 0)
{
    public override string Identifier { get; set; } = ConversationShards.Identifier(shard);

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultJournalConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        SqlitePersistence.AppendPlugin(sb, connectionString, shard, PluginId, typeof(ShardJournal));
        sb.AppendLine("parallelism = 1"); // SQLite has one writer per file; 1 and 3 measured the same
        return base.Build(sb);
    }
}

/// <summary>The snapshot store of one shard file (shard 0 is also Akka's default snapshot store).</summary>
internal sealed class SqliteSnapshotOptions(string connectionString, int shard) : SnapshotOptions(shard == 0)
{
    public override string Identifier { get; set; } = ConversationShards.Identifier(shard);

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultSnapshotConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        SqlitePersistence.AppendPlugin(sb, connectionString, shard, PluginId, typeof(ShardSnapshotStore));
        return base.Build(sb);
    }
}
