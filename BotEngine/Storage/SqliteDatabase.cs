using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BotEngine.Storage;

/// <summary>Where the queue file lives and how connections to it are opened.</summary>
internal sealed class SqliteDatabase
{
    public const string FileName = "queue.db";

    public SqliteDatabase(IOptions<BotEngineOptions> options)
        : this(System.IO.Path.Combine(options.Value.ResolveDataDirectory(), FileName), options.Value.Durability)
    {
    }

    public SqliteDatabase(string path, Durability durability)
    {
        Path = path;
        Durability = durability;
        ConnectionString = ConnectionStringFor(path);
    }

    /// <summary>How every SQLite file of the engine is opened: the queue's and the conversation shards'.</summary>
    public static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        // Microsoft.Data.Sqlite retries SQLITE_BUSY with 150 ms sleeps until this runs out; readers rarely wait
        // in WAL mode, so a long stall means something is wrong and should surface.
        DefaultTimeout = 30,
    }.ToString();

    public string Path { get; }

    public Durability Durability { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a connection for reading. Writes go through <see cref="SqliteWriter"/> only.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 5000;");
        return connection;
    }

    /// <summary>
    /// True when the file was switched to WAL before its writer opens it (the conversation shards: ShardFiles does it
    /// after a migration that needs it off); the mode is stored in the file, so the writer does not set it again.
    /// </summary>
    public bool WalAlreadySet { get; init; }

    /// <summary>Opens the writer's connection: WAL (stored in the file) and the chosen <c>synchronous</c>.</summary>
    public SqliteConnection OpenWriter()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        var synchronous = Durability == Durability.Full ? "FULL" : "NORMAL";
        var journalMode = WalAlreadySet ? "" : "PRAGMA journal_mode = WAL;";
        Execute(connection, $"""
            {journalMode}
            PRAGMA synchronous = {synchronous};
            PRAGMA busy_timeout = 5000;
            PRAGMA foreign_keys = OFF;
            """);
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
