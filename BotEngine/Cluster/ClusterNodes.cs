namespace BotEngine.Cluster;

/// <summary>
/// How many engine nodes share the platforms' rate limits: the cluster's Up members (1 outside cluster mode). A
/// platform's limit is per bot channel, not per process, so each node sends at most its share of it; the share is
/// re-computed whenever a member comes up or goes. Unreachable members still count until they are downed: while a
/// node may still be sending, the others stay at the smaller share.
/// </summary>
internal sealed class ClusterNodes
{
    private int _up;

    /// <param name="expected">The count until membership is known (cluster mode: the seed nodes listed).</param>
    public ClusterNodes(int expected = 1) => _up = Math.Max(1, expected);

    /// <summary>Raised with the new count, on the thread that saw the membership change.</summary>
    public event Action<int>? Changed;

    public int Up => Volatile.Read(ref _up);

    /// <summary>Sets the count (at least 1: this node sends even before it is Up). True, and <see cref="Changed"/>
    /// raised, when it differs from the count before: the one place that decides whether the membership changed.</summary>
    public bool Set(int up)
    {
        up = Math.Max(1, up);
        if (Interlocked.Exchange(ref _up, up) == up) return false;
        Changed?.Invoke(up);
        return true;
    }
}
