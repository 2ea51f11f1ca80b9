using Akka.Cluster;

namespace BotEngine.Cluster;

/// <summary>
/// The cluster's Up members, folded from its member events by <see cref="MembershipWatcher"/>: a member counts while
/// its status is Up, from MemberUp until it leaves, exits, is downed or removed (a leaving node hands its work over,
/// so the others may take its share). Members are told apart by address and incarnation: a node restarted on the same
/// address is a new member, and the old one's removal does not take it away.
/// </summary>
internal sealed class UpMembers
{
    private readonly HashSet<UniqueAddress> _up = [];

    public int Count => _up.Count;

    /// <summary>Starts again from a snapshot of the membership.</summary>
    public void Reset(IEnumerable<(UniqueAddress Member, MemberStatus Status)> members)
    {
        _up.Clear();
        foreach (var (member, status) in members) Saw(member, status);
    }

    /// <summary>A member event: the member's status now.</summary>
    public void Saw(UniqueAddress member, MemberStatus status)
    {
        if (status == MemberStatus.Up) _up.Add(member);
        else _up.Remove(member);
    }
}
