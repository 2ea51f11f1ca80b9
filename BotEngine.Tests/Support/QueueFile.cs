using Dapper;
using Microsoft.Data.Sqlite;

namespace BotEngine.Tests.Support;

/// <summary>Reads an engine's queue.db from the outside, the way an operator with sqlite3 would.</summary>
public sealed class QueueFile(string dataDirectory)
{
    public string Path { get; } = System.IO.Path.Combine(dataDirectory, "queue.db");

    public long Scalar(string sql)
    {
        if (!File.Exists(Path))
        {
            return 0;
        }

        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection.ExecuteScalar<long>(sql);
    }

    public long Bodies => Scalar("SELECT COUNT(*) FROM bodies");

    public long UnsplitBodies => Scalar("SELECT COUNT(*) FROM bodies WHERE split = 0");

    public long Events => Scalar("SELECT COUNT(*) FROM events");

    public long OpenEvents => Scalar("SELECT COUNT(*) FROM events WHERE state IN (0, 1)");

    public long DeadEvents => Scalar("SELECT COUNT(*) FROM events WHERE state = 3");

    /// <summary>True once every stored body is split and every event is done or dead.</summary>
    public bool Settled => Bodies > 0 && UnsplitBodies == 0 && OpenEvents == 0;

    /// <summary>"id state outcome error" of the events matching <paramref name="where"/>, for failure messages.</summary>
    public IReadOnlyList<string> Rows(string where)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection.Query<(long, long, string?, string?)>(
            $"SELECT id, state, outcome, last_error FROM events WHERE {where} ORDER BY id")
            .Select(r => $"{r.Item1} state {r.Item2} {r.Item3} {r.Item4}").AsList();
    }

    public IReadOnlyList<(string EventId, long State, string? Outcome, string? Error)> EventRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection.Query<(string, long, string?, string?)>(
            "SELECT event_id, state, outcome, last_error FROM events ORDER BY id").AsList();
    }
}
