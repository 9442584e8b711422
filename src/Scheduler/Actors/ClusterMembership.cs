using Akka.Cluster;
using Sched.Scheduler.State;

namespace Sched.Scheduler.Actors;

/// <summary>Translates the cluster's membership events into what the node registry records.</summary>
public static class ClusterMembership
{
    public static readonly Type[] Events = [typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent)];

    public static (string Address, Membership Membership)? Of(object clusterEvent) => clusterEvent switch
    {
        ClusterEvent.UnreachableMember e => (e.Member.Address.ToString(), Membership.Unreachable),
        ClusterEvent.ReachableMember e => (e.Member.Address.ToString(), Membership.Up),
        ClusterEvent.MemberUp e => (e.Member.Address.ToString(), Membership.Up),
        ClusterEvent.MemberRemoved e => (e.Member.Address.ToString(), Membership.Removed),
        _ => null,
    };
}
