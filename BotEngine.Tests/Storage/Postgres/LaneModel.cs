namespace BotEngine.Tests.Storage.Postgres;

/// <summary>
/// What the lane protocol should do, in a few lines: per lane its open events in id order, at most one claim (node,
/// event, lease end) per lane, on its head; a claim counts until reaped (lease over, or its node's heartbeat older than
/// the node timeout), even after it expired; an outcome counts only under the lane's current claim.
/// </summary>
internal sealed class LaneModel(IEnumerable<(long Id, string Lane)> events, int nodes, long now, TimeSpan nodeTimeout, TimeSpan lease)
{
    private readonly Dictionary<string, List<long>> _open = events.GroupBy(e => e.Lane).ToDictionary(g => g.Key, g => g.Select(e => e.Id).ToList());
    private readonly Dictionary<string, List<long>> _done = [];
    private readonly Dictionary<string, (int Node, long Id, long LeaseUntil)> _claims = [];
    private readonly long[] _heartbeats = Enumerable.Repeat(now, nodes).ToArray();

    public long Now { get; set; } = now;

    public int Open => _open.Values.Sum(l => l.Count);

    public IEnumerable<long> Done(string lane) => _done.GetValueOrDefault(lane) ?? [];

    /// <summary>The heads of every free lane with open events (all are due: retries are due at once), now claimed.</summary>
    public IEnumerable<long> Claim(int node)
    {
        var heads = new List<long>();
        foreach (var (lane, open) in _open.Where(l => l.Value.Count > 0 && !_claims.ContainsKey(l.Key)))
        {
            _claims[lane] = (node, open[0], Now + (long)lease.TotalMilliseconds);
            heads.Add(open[0]);
        }

        return heads.Order();
    }

    public bool Complete(int node, long id)
    {
        if (!Holds(node, id, out var lane)) return false;
        _open[lane].Remove(id);
        (_done.TryGetValue(lane, out var done) ? done : _done[lane] = []).Add(id);
        _claims.Remove(lane);
        return true;
    }

    /// <summary>The event stays the lane's head, pending; the lane is free.</summary>
    public bool Retry(int node, long id) => Holds(node, id, out var lane) && _claims.Remove(lane);

    public void Heartbeat(int node) => _heartbeats[node] = Now;

    /// <summary>Frees the claims whose lease ended or whose node went quiet; how many.</summary>
    public int Reap()
    {
        var stale = Now - (long)nodeTimeout.TotalMilliseconds;
        var gone = _claims.Where(c => c.Value.LeaseUntil <= Now || _heartbeats[c.Value.Node] < stale).Select(c => c.Key).ToList();
        foreach (var lane in gone) _claims.Remove(lane);
        return gone.Count;
    }

    private bool Holds(int node, long id, out string lane)
    {
        lane = _claims.FirstOrDefault(c => c.Value.Node == node && c.Value.Id == id).Key;
        return lane is not null;
    }
}
