using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Sched.Contracts;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Durability;

namespace Sched.Scheduler.Durability;

/// <summary>
/// What a scheduler that starts here must know about the cluster before it trusts any state. The scheduler-role
/// nodes this node last saw (kept on disk): a scheduler recovers only once a majority of them is up, so a node
/// whose disk missed what the others did meanwhile never recovers alone from it. A member that leaves or is
/// downed leaves that list, as a node removed from a Raft configuration. And the nodes downed or gone while this
/// node watched: a scheduler that takes over after them knows their shards are lost, not merely not yet reported.
/// </summary>
public sealed partial class StateReplica
{
    private readonly string _nodeName;
    private readonly Dictionary<string, NodeRemoval> _removed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _upSchedulerNodes = new(StringComparer.Ordinal);
    private ImmutableSortedSet<string> _schedulerNodes;

    private void SubscribeToMembership() => Cluster.Get(Context.System).Subscribe(
        Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    private void ReceiveMembership()
    {
        Receive<ClusterEvent.MemberUp>(up => OnMemberUp(up.Member));
        Receive<ClusterEvent.MemberRemoved>(OnMemberRemoved);
        Receive<RecoveryQuery>(_ => Sender.Tell(new RecoveryView(
            [.. _local.Concat(_unsaved.Values)], _store.Path, _schedulerNodes, [.. _upSchedulerNodes], _removed.ToImmutableDictionary(StringComparer.Ordinal))));
    }

    private void OnMemberUp(Member member)
    {
        if (ClusterRoles.NodeNameIn(member.Roles) is not { } name)
        {
            return;
        }

        _removed.Remove(name);
        if (member.HasRole(ClusterRoles.Scheduler))
        {
            _upSchedulerNodes.Add(name);
            KnowSchedulerNodes(_schedulerNodes.Add(name));
        }
        else
        {
            _upSchedulerNodes.Remove(name);
            KnowSchedulerNodes(_schedulerNodes.Remove(name));
        }
    }

    private void OnMemberRemoved(ClusterEvent.MemberRemoved removed)
    {
        if (ClusterRoles.NodeNameIn(removed.Member.Roles) is not { } name || name == _nodeName)
        {
            return;
        }

        _removed[name] = new NodeRemoval(DateTimeOffset.UtcNow, Downed: removed.PreviousStatus == MemberStatus.Down);

        _upSchedulerNodes.Remove(name);
        KnowSchedulerNodes(_schedulerNodes.Remove(name));
    }

    private void KnowSchedulerNodes(ImmutableSortedSet<string> now)
    {
        now = now.Add(_nodeName);
        if (now.SetEquals(_schedulerNodes))
        {
            return;
        }

        _log.Information("scheduler nodes now {Nodes} (were {Before})", string.Join(",", now), string.Join(",", _schedulerNodes));
        _schedulerNodes = now;
        _store.SaveSchedulerNodes(now);
    }

    /// <summary>Asked by a scheduler before it recovers, until a majority of <see cref="RecoveryView.SchedulerNodes"/> is up.</summary>
    public sealed record RecoveryQuery
    {
        public static readonly RecoveryQuery Instance = new();
    }

    /// <param name="Jobs">What this node's disk holds, and what it learned since.</param>
    /// <param name="StatePath">This node's state file, which keeps the list of scheduler nodes.</param>
    /// <param name="SchedulerNodes">The scheduler-role nodes this node last knew of, itself included.</param>
    /// <param name="UpSchedulerNodes">Those of them, and any other scheduler-role nodes, up now.</param>
    /// <param name="Removed">Nodes the cluster downed, or saw leave, while this node watched, and when.</param>
    public sealed record RecoveryView(
        IReadOnlyList<JobSnapshot> Jobs,
        string StatePath,
        ImmutableSortedSet<string> SchedulerNodes,
        ImmutableHashSet<string> UpSchedulerNodes,
        ImmutableDictionary<string, NodeRemoval> Removed)
    {
        /// <summary>Up nodes of the known set, and how many make a majority of it.</summary>
        public (int Up, int Needed) Quorum => (SchedulerNodes.Count(UpSchedulerNodes.Contains), (SchedulerNodes.Count / 2) + 1);

        public bool HasQuorum => Quorum.Up >= Quorum.Needed;

        /// <summary>True when a majority needs another node: its replica may not be known to this node's replicator yet.</summary>
        public bool NeedsOthers => Quorum.Needed > 1;

        public IEnumerable<string> Missing => SchedulerNodes.Where(n => !UpSchedulerNodes.Contains(n));
    }
}
