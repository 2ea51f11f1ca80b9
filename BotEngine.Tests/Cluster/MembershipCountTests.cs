using Akka.Actor;
using Akka.Cluster;
using BotEngine.Cluster;

namespace BotEngine.Tests.Cluster;

/// <summary>
/// The rate shares follow the count of Up members: it changes when a member comes up or stops being Up, not on
/// events that leave it the same, and a restarted node on the same address is a new member.
/// </summary>
public sealed class MembershipCountTests
{
    private static readonly UniqueAddress A = Member(2551, 1);
    private static readonly UniqueAddress B = Member(2552, 2);
    private static readonly UniqueAddress BRestarted = Member(2552, 3);

    [Fact]
    public void The_count_changes_only_when_a_member_comes_up_or_stops_being_up()
    {
        var up = new UpMembers();
        var nodes = new ClusterNodes(expected: 3);
        var changes = new List<int>();
        nodes.Changed += changes.Add;
        var said = new List<bool>();
        void See(UniqueAddress member, MemberStatus status)
        {
            up.Saw(member, status);
            said.Add(nodes.Set(up.Count));
        }

        up.Reset([(A, MemberStatus.Up), (B, MemberStatus.Joining)]);
        said.Add(nodes.Set(up.Count)); // 3 seeds expected, 1 up
        See(B, MemberStatus.Up);
        See(B, MemberStatus.Up); // told twice: no change
        See(B, MemberStatus.Leaving);
        See(B, MemberStatus.Exiting);
        See(B, MemberStatus.Removed);
        See(BRestarted, MemberStatus.Joining);
        See(BRestarted, MemberStatus.Up);
        See(B, MemberStatus.Removed); // the old incarnation's late removal does not take the new one away
        See(A, MemberStatus.Down);
        See(BRestarted, MemberStatus.Removed); // none up: this node still sends, at the whole limit

        Assert.Equal([1, 2, 1, 2, 1], changes);
        Assert.Equal([true, true, false, true, false, false, false, true, false, true, false], said);
        Assert.Equal(0, up.Count);
        Assert.Equal(1, nodes.Up);
    }

    private static UniqueAddress Member(int port, int incarnation) =>
        new(new Address("akka.tcp", "botengine", "127.0.0.1", port), incarnation);
}
