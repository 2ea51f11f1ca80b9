using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>The state of the queue's writes to PostgreSQL, as <c>/healthz</c> and the metrics read it.</summary>
internal sealed class PgHealth
{
    private volatile string? _lastError;
    private long _failures;

    public bool Healthy => _lastError is null;

    public string? LastError => _lastError;

    public long Failures => Interlocked.Read(ref _failures);

    public void Succeeded() => _lastError = null;

    public void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        _lastError = $"{Kind(e)}: {e.Message}";
    }

    /// <summary>full (53100 disk full), unreachable (connection lost, server shutting down), corrupt, other.</summary>
    public static string Kind(Exception e) => e switch
    {
        PostgresException { SqlState: "53100" } => "full",
        PostgresException { SqlState: "XX001" or "XX002" } => "corrupt",
        PostgresException { SqlState: var s } when s.StartsWith("08", StringComparison.Ordinal) || s.StartsWith("57P", StringComparison.Ordinal) => "unreachable",
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or IOException or TimeoutException } => "unreachable",
        _ => "other",
    };
}
