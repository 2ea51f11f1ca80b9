using System.Data.Common;
using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using BotEngine.Hosting;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace BotEngine.Conversations.Persistence;

/// <summary>
/// Akka.Persistence.Sql on its own SQLite file (a busy queue in the same file starves the journal of its write lock): Akka.Persistence.Sql.Hosting is not
/// served, so the two options types are written here; per-connection PRAGMAs go through linq2db's connection hook.
/// </summary>
internal static class SqlitePersistence
{
    public const string FileName = "akka.db";
    public const string ProviderName = "SQLite.MS";

    // Microsoft.Data.Sqlite retries a busy database itself (150 ms steps up to the 30 s command timeout);
    // busy_timeout lets SQLite wait for the lock without those coarse sleeps.
    private const int BusyTimeoutMs = 5000;

    /// <summary>Creates the data folder and the database if missing, switches it to WAL (stored in the file) and returns its connection string.</summary>
    public static string Prepare(BotEngineOptions options)
    {
        var folder = options.ResolveDataDirectory();
        Directory.CreateDirectory(folder);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FileName),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        wal.ExecuteNonQuery();
        return connectionString;
    }

    /// <summary>The Akka setup that runs the per-connection PRAGMAs on every connection the journal and snapshot store open.</summary>
    public static DataOptionsSetup ConnectionSetup(string connectionString, Durability durability)
    {
        var pragmas = $"PRAGMA synchronous={(durability == Durability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout={BusyTimeoutMs};";
        var options = new DataOptions()
            .UseConnectionString(LinqToDB.ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(
                connection => Run(connection, pragmas),
                async (connection, ct) =>
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = pragmas;
                    await command.ExecuteNonQueryAsync(ct);
                });
        return new DataOptionsSetup(options);
    }

    private static void Run(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal sealed class SqliteJournalOptions(string connectionString) : JournalOptions(true)
{
    public override string Identifier { get; set; } = "sql";

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultJournalConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        sb.AppendLine($"connection-string = {connectionString.ToHocon()}");
        sb.AppendLine($"provider-name = {SqlitePersistence.ProviderName.ToHocon()}");
        sb.AppendLine("parallelism = 1"); // SQLite has one writer; 1 and 3 measured the same
        return base.Build(sb);
    }
}

internal sealed class SqliteSnapshotOptions(string connectionString) : SnapshotOptions(true)
{
    public override string Identifier { get; set; } = "sql";

    protected override Config InternalDefaultConfig => SqlPersistence.DefaultSnapshotConfiguration;

    protected override StringBuilder Build(StringBuilder sb)
    {
        sb.AppendLine($"connection-string = {connectionString.ToHocon()}");
        sb.AppendLine($"provider-name = {SqlitePersistence.ProviderName.ToHocon()}");
        return base.Build(sb);
    }
}
