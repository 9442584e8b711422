using Akka.Cluster;
using Sched.Contracts;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Actors;

/// <summary>Translates the cluster's membership events into what the node registry records.</summary>
public static class ClusterMembership
{
    public static readonly Type[] Events = [typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent)];

    /// <summary>A member's address and incarnation: a restarted agent on the same host and port is a different member.</summary>
    public static string IdOf(UniqueAddress member) => $"{member.Address}#{member.Uid}";

    /// <summary>The node a member event is about (its <c>node:NAME</c> role), whether or not it ever reported.</summary>
    public static string? NodeOf(object clusterEvent) =>
        clusterEvent is ClusterEvent.IMemberEvent e ? ClusterRoles.NodeNameIn(e.Member.Roles) : null;

    /// <summary>
    /// Node names with a live incarnation in the cluster: joining, up or leaving, not downed or removed. The cluster's
    /// read view is updated by an actor of its own and may not have seen the event being handled yet, so it can still
    /// list the incarnation that event removed as up: <paramref name="removed"/> names it, and it never counts.
    /// </summary>
    public static IReadOnlySet<string> LiveNodes(Cluster cluster, string? removed = null) =>
        cluster.State.Members.Where(m => m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up
                or MemberStatus.Leaving or MemberStatus.Exiting)
            .Where(m => IdOf(m.UniqueAddress) != removed)
            .Select(m => ClusterRoles.NodeNameIn(m.Roles)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    public static (string Address, Membership Membership)? Of(object clusterEvent) => clusterEvent switch
    {
        ClusterEvent.UnreachableMember e => (IdOf(e.Member.UniqueAddress), Membership.Unreachable),
        ClusterEvent.ReachableMember e => (IdOf(e.Member.UniqueAddress), Membership.Up),
        ClusterEvent.MemberUp e => (IdOf(e.Member.UniqueAddress), Membership.Up),
        // Downed is final: the member's removal follows about a second later, once the others have seen the down.
        // The cut-off side has fenced by then, so the scheduler need not wait for the removal.
        ClusterEvent.MemberDowned e => (IdOf(e.Member.UniqueAddress), Membership.Removed),
        ClusterEvent.MemberRemoved { PreviousStatus: MemberStatus.Down } e => (IdOf(e.Member.UniqueAddress), Membership.Removed),
        ClusterEvent.MemberRemoved e => (IdOf(e.Member.UniqueAddress), Membership.Left),
        _ => null,
    };
}
