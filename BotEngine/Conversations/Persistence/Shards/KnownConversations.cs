namespace BotEngine.Conversations.Persistence.Shards;

/// <summary>
/// The conversations that may have rows in one shard file: every persistence id found in its journal or snapshot
/// table at start, plus every id written since. An id not in here provably has no row (this process is the file's
/// only writer, and the start-up migration runs before the set is read), so its recovery needs no query. Kept as
/// 64-bit hashes (≈ 2.4 MB per 100,000 conversations); a collision only costs the two recovery queries.
/// </summary>
internal sealed class KnownConversations
{
    private readonly HashSet<ulong> _ids = [];
    private readonly Lock _lock = new();

    public void Add(string persistenceId)
    {
        var hash = Hash(persistenceId);
        lock (_lock) _ids.Add(hash);
    }

    public bool MayExist(string persistenceId)
    {
        var hash = Hash(persistenceId);
        lock (_lock) return _ids.Contains(hash);
    }

    private static ulong Hash(string persistenceId)
    {
        // FNV-1a 64 over the UTF-16 code units: stable and cheap; only compared within this process.
        var hash = 14695981039346656037ul;
        foreach (var c in persistenceId) hash = (hash ^ c) * 1099511628211ul;
        return hash;
    }
}
