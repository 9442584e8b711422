using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.Scheduler.Placement;

namespace Sched.Scheduler.State;

/// <summary>What the scheduler last heard from each node. Soft state: the nodes report it again after a restart.</summary>
public sealed record NodeRegistry(ImmutableSortedDictionary<string, NodeEntry> Nodes)
{
    /// <summary>A node that has not reported for this long is unreachable and gets no new shards.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(15);

    public static readonly NodeRegistry Empty = new(ImmutableSortedDictionary.Create<string, NodeEntry>(StringComparer.Ordinal));

    /// <summary>A report keeps what the cluster said of the member, except that a removed node reporting again has rejoined.</summary>
    public NodeRegistry Report(RegisterNode report, DateTimeOffset now)
    {
        var membership = Nodes.GetValueOrDefault(report.Node)?.Membership is Membership.Unreachable ? Membership.Unreachable : Membership.Up;
        return new(Nodes.SetItem(report.Node, new NodeEntry(report, now, membership)));
    }

    /// <summary>What the cluster's failure detector and downing decided about the member at this address.</summary>
    public NodeRegistry MemberChanged(string memberAddress, Membership membership) =>
        Nodes.Values.FirstOrDefault(n => n.Report.MemberAddress == memberAddress) is { } node
            ? new(Nodes.SetItem(node.Report.Node, node with { Membership = membership }))
            : this;

    public string? NodeAt(string memberAddress) =>
        Nodes.Values.FirstOrDefault(n => n.Report.MemberAddress == memberAddress)?.Report.Node;

    /// <summary>The first rule that matches wins.</summary>
    public NodeStatus StatusOf(NodeEntry node, DateTimeOffset now) =>
        node.Membership == Membership.Removed ? NodeStatus.Down
        : node.Membership is Membership.Unreachable or Membership.Left || now - node.LastSeen > ReportTimeout ? NodeStatus.Unreachable
        : node.Report.Healthy ? NodeStatus.Up
        : NodeStatus.Unhealthy;

    public ClusterSnapshot Snapshot(SchedulerState state, DateTimeOffset now)
    {
        var usage = state.Index.Usage;
        return ClusterSnapshot.Of(Nodes.Values.Select(n =>
        {
            var used = usage.GetValueOrDefault(n.Report.Node) ?? NodeUsage.None;
            var status = StatusOf(n, now);
            return new NodeSnapshot(
                n.Report.Node,
                n.Report.Labels,
                status == NodeStatus.Up,
                status == NodeStatus.Up ? null : status == NodeStatus.Unhealthy ? n.Report.HealthReason : status.ToString().ToLowerInvariant(),
                n.Report.Allocatable,
                used.Allocated,
                used.ShardsByJob);
        }));
    }

    public ImmutableArray<NodeView> Views(SchedulerState state, DateTimeOffset now)
    {
        var usage = state.Index.Usage;
        return Nodes.Values.Select(n =>
        {
            var used = usage.GetValueOrDefault(n.Report.Node) ?? NodeUsage.None;
            var status = StatusOf(n, now);
            var reason = status switch
            {
                NodeStatus.Down => "removed from the cluster",
                NodeStatus.Unreachable when n.Membership == Membership.Unreachable => "cluster member unreachable",
                NodeStatus.Unreachable when n.Membership == Membership.Left => "agent left the cluster; its containers are kept for its return",
                NodeStatus.Unreachable => $"no report for {(now - n.LastSeen).TotalSeconds:0}s",
                _ => n.Report.HealthReason,
            };
            return new NodeView(n.Report.Node, status, reason, n.Report.Total, n.Report.Allocatable, used.Allocated,
                n.Report.Labels, used.ShardsByJob.Values.Sum());
        }).ToImmutableArray();
    }
}

public sealed record NodeEntry(RegisterNode Report, DateTimeOffset LastSeen, Membership Membership = Membership.Up);

/// <summary>A node's standing as a cluster member, as the scheduler last heard from the cluster.</summary>
public enum Membership { Up, Unreachable, Removed, Left }

/// <summary>What the active shards of all jobs take from one node (see <see cref="StateIndex"/>).</summary>
public sealed record NodeUsage(NodeCapacity Allocated, ImmutableDictionary<string, int> ShardsByJob)
{
    public static readonly NodeUsage None = new(new NodeCapacity(0, 0), ImmutableDictionary<string, int>.Empty);
}
