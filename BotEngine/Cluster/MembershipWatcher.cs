using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace BotEngine.Cluster;

/// <summary>
/// Keeps <see cref="ClusterNodes"/> at the number of Up members (<see cref="UpMembers"/>), and logs the new share when
/// that number changes.
/// </summary>
internal sealed class MembershipWatcher : ReceiveActor
{
    public MembershipWatcher(ClusterNodes nodes)
    {
        var log = Context.GetLogger();
        var up = new UpMembers();
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            up.Reset(state.Members.Select(m => (m.UniqueAddress, m.Status)));
            Publish();
        });
        Receive<ClusterEvent.IMemberEvent>(e =>
        {
            up.Saw(e.Member.UniqueAddress, e.Member.Status);
            Publish();
        });

        void Publish()
        {
            if (nodes.Set(up.Count)) log.Info("{0} node(s) up: each sends 1/{0} of the platforms' rate limits", nodes.Up);
        }
    }

    public static Props Props(ClusterNodes nodes) => Akka.Actor.Props.Create(() => new MembershipWatcher(nodes));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
