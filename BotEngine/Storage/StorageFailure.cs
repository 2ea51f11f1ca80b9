using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BotEngine.Storage;

/// <summary>
/// The one list of storage failure kinds, as metric labels and in <c>/healthz</c>: the SQLite errors that mean the file
/// cannot be written, and the PostgreSQL errors the queue's writes meet.
/// </summary>
internal static class StorageFailure
{
    public const string Full = "full";
    public const string Io = "io";
    public const string Corrupt = "corrupt";
    public const string CantOpen = "cantopen";
    public const string Unreachable = "unreachable";
    public const string Other = "other";

    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADb = 26;

    /// <summary>Errors of the file rather than of one statement: SQLite may have rolled back the whole transaction.</summary>
    public static bool IsFileError(SqliteException ex) =>
        ex.SqliteErrorCode is SqliteIoErr or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteNotADb;

    /// <summary>SQLite: full, io, corrupt, cantopen. PostgreSQL: full (53100 disk full), corrupt (XX001, XX002),
    /// unreachable (class 08 connection lost, 57P server shutting down, or the socket failing). Else other.</summary>
    public static string Kind(Exception ex) => ex switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode switch
        {
            SqliteFull => Full,
            SqliteIoErr => Io,
            SqliteCorrupt or SqliteNotADb => Corrupt,
            SqliteCantOpen => CantOpen,
            _ => Other,
        },
        PostgresException { SqlState: "53100" } => Full,
        PostgresException { SqlState: "XX001" or "XX002" } => Corrupt,
        PostgresException { SqlState: var state }
            when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal) => Unreachable,
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => Unreachable,
        _ => Other,
    };
}

/// <summary>Failed commits by kind; read by the metrics scrape.</summary>
internal sealed class StorageFailureCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, count) => count + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts);
}
