using Akka.Actor;
using Akka.Cluster;

namespace Sched.NodeActor.Agent;

/// <summary>
/// In a cluster: commands only from the node that hosts the scheduler singleton in this node's view of its own
/// cluster (the oldest up member with the scheduler role), logs from any up scheduler member. Remoting alone does
/// not check membership: a scheduler of another cluster (say node1 restarted alone and founded one) can reach this
/// agent, and must not command it.
/// </summary>
public sealed class ClusterCommandSenders(Cluster cluster, string schedulerRole) : ICommandSenders
{
    public bool MayCommand(IActorRef sender) =>
        IsThisProcess(sender) || SingletonHost() is { } host && host == sender.Path.Address;

    public bool MayReadLogs(IActorRef sender) =>
        IsThisProcess(sender) || SchedulerMembers().Any(m => m.Address == sender.Path.Address);

    public bool MayFetchImages(IActorRef sender) =>
        IsThisProcess(sender) || cluster.State.Members.Any(m => m.Address == sender.Path.Address && m.Status == MemberStatus.Up);

    /// <summary>
    /// A message from another node that names no sender arrives as if from this node's own dead letters, a local
    /// actor: without the first test, any peer could command the agent by leaving the sender out.
    /// </summary>
    private bool IsThisProcess(IActorRef sender) =>
        !sender.IsNobody() && (LocalCommandSenders.IsLocal(sender) || sender.Path.Address == cluster.SelfAddress);

    private Address? SingletonHost() =>
        SchedulerMembers().OrderBy(m => m, Member.AgeOrdering).FirstOrDefault()?.Address;

    private IEnumerable<Member> SchedulerMembers() =>
        cluster.State.Members.Where(m => m.HasRole(schedulerRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving);
}
