using System.Collections.Concurrent;

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

    public void Failed(string part, Exception e) => _errors[part] = $"{StorageFailure.Kind(e)}: {e.Message}";
}
