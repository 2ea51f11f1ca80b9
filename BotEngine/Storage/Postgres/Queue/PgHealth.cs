using System.Collections.Concurrent;
using Npgsql;

namespace BotEngine.Storage.Postgres.Queue;

/// <summary>
/// The state of the queue's work on PostgreSQL, as <c>/healthz</c> reads it, kept per part (the webhook appends, the
/// heartbeat, the upkeep): one part's success never hides another's failure.
/// </summary>
internal sealed class PgHealth
{
    public const string Appends = "appends";
    public const string Heartbeat = "heartbeat";
    public const string Upkeep = "upkeep";

    private readonly ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Healthy => _errors.IsEmpty;

    public string? LastError => _errors.IsEmpty ? null : string.Join("; ", _errors.Select(e => $"{e.Key}: {e.Value}"));

    public void Succeeded(string part) => _errors.TryRemove(part, out _);

    public void Failed(string part, Exception e) => _errors[part] = $"{Kind(e)}: {e.Message}";

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
