namespace BotEngine.Cluster;

/// <summary>
/// This node's limiter for its share of a platform limit (<see cref="RateShare"/>), re-made whenever the count of Up
/// nodes changes. The limiter being replaced is retired, not disposed: requests already waiting in its queue are still
/// served from it at the old rate, so a membership change refuses no request and costs no order (a lane waits for its
/// one send in flight before the next). Retired limiters are few (one per membership change) and disposed with this.
/// </summary>
/// <typeparam name="T">The limiter (or limiter chain) made for a rate per second.</typeparam>
internal sealed class SharedRate<T> : IDisposable where T : class, IDisposable
{
    private readonly int _limit;
    private readonly int _floor;
    private readonly ClusterNodes? _nodes;
    private readonly Func<int, T> _create;
    private readonly Lock _gate = new();
    private readonly List<T> _retired = [];
    private T _current;
    private int _perSecond;

    /// <param name="limit">The platform's limit per second, for all nodes together.</param>
    /// <param name="floor">The least share a node gets (see <see cref="RateShare.Of"/>).</param>
    /// <param name="nodes">The nodes sharing the limit; null: this node alone, the whole limit.</param>
    /// <param name="create">Makes the limiter for a share (messages or calls per second).</param>
    public SharedRate(int limit, int floor, ClusterNodes? nodes, Func<int, T> create)
    {
        _limit = limit;
        _floor = floor;
        _nodes = nodes;
        _create = create;
        _perSecond = RateShare.Of(limit, nodes?.Up ?? 1, floor);
        _current = create(_perSecond);
        if (nodes is not null) nodes.Changed += OnNodesChanged;
    }

    /// <summary>This node's share, per second.</summary>
    public int PerSecond => Volatile.Read(ref _perSecond);

    /// <summary>The limiter new requests take their permits from.</summary>
    public T Current => Volatile.Read(ref _current);

    private void OnNodesChanged(int nodes)
    {
        lock (_gate)
        {
            var share = RateShare.Of(_limit, nodes, _floor);
            if (share == _perSecond) return;
            _retired.Add(_current);
            Volatile.Write(ref _current, _create(share));
            Volatile.Write(ref _perSecond, share);
        }
    }

    public void Dispose()
    {
        if (_nodes is not null) _nodes.Changed -= OnNodesChanged;
        lock (_gate)
        {
            _current.Dispose();
            foreach (var limiter in _retired) limiter.Dispose();
        }
    }
}
