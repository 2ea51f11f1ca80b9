using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace BotEngine.Cluster;

/// <summary>
/// Keeps <see cref="ClusterNodes"/> at the number of Up members: Up counts from MemberUp until the member leaves,
/// exits, is downed or removed (leaving nodes hand their work over, so the others may take their share).
/// </summary>
internal sealed class MembershipWatcher : ReceiveActor
{
    private readonly HashSet<UniqueAddress> _up = [];

    public MembershipWatcher(ClusterNodes nodes)
    {
        var log = Context.GetLogger();
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _up.Clear();
            _up.UnionWith(state.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.UniqueAddress));
            Publish();
        });
        Receive<ClusterEvent.MemberUp>(e => Changed(_up.Add(e.Member.UniqueAddress)));
        Receive<ClusterEvent.IMemberEvent>(e => Changed(e.Member.Status != MemberStatus.Up && _up.Remove(e.Member.UniqueAddress)));

        void Changed(bool changed)
        {
            if (changed) Publish();
        }

        void Publish()
        {
            var before = nodes.Up;
            nodes.Set(_up.Count);
            if (before != nodes.Up) log.Info("{0} node(s) up: each sends 1/{0} of the platforms' rate limits", nodes.Up);
        }
    }

    public static Props Props(ClusterNodes nodes) => Akka.Actor.Props.Create(() => new MembershipWatcher(nodes));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
