using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace BotEngine.Storage;

/// <summary>Names the SQLite errors that mean the file cannot be written, as metric labels.</summary>
internal static class StorageFailure
{
    public const string Full = "full";
    public const string Io = "io";
    public const string Corrupt = "corrupt";
    public const string CantOpen = "cantopen";
    public const string Other = "other";

    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADb = 26;

    /// <summary>Errors of the file rather than of one statement: SQLite may have rolled back the whole transaction.</summary>
    public static bool IsFileError(SqliteException ex) =>
        ex.SqliteErrorCode is SqliteIoErr or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteNotADb;

    public static string Kind(Exception ex) => ex is SqliteException sqlite
        ? sqlite.SqliteErrorCode switch
        {
            SqliteFull => Full,
            SqliteIoErr => Io,
            SqliteCorrupt or SqliteNotADb => Corrupt,
            SqliteCantOpen => CantOpen,
            _ => Other,
        }
        : Other;
}

/// <summary>Failed commits by kind; read by the metrics scrape.</summary>
internal sealed class StorageFailureCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new();

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, count) => count + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts);
}
