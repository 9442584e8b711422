using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;

namespace Sched.Scheduler.Decisions.State;

/// <summary>What the scheduler last heard from each node. Soft state: the nodes report it again after a restart.</summary>
public sealed class NodeRegistry
{
    /// <summary>A node that has not reported for this long is unreachable and gets no new shards.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(15);

    public static readonly NodeRegistry Empty = new(ImmutableSortedDictionary.Create<string, NodeEntry>(StringComparer.Ordinal), [], 0);

    private static readonly IComparer<NodeEntry> ByName = Comparer<NodeEntry>.Create((a, b) => string.CompareOrdinal(a.Report.Node, b.Report.Node));

    /// <summary>The same entries as <see cref="Nodes"/>, by index: placement looks at the nodes by their place in this order.</summary>
    private readonly ImmutableArray<NodeEntry> _ordered;

    private NodeRegistry(ImmutableSortedDictionary<string, NodeEntry> nodes, ImmutableArray<NodeEntry> ordered, long generation)
    {
        Nodes = nodes;
        _ordered = ordered;
        Generation = generation;
    }

    public ImmutableSortedDictionary<string, NodeEntry> Nodes { get; }

    /// <summary>Goes up with every change that may give a node more room; see <see cref="ClusterSnapshot.Generation"/>.</summary>
    public long Generation { get; }

    /// <summary>A report keeps what the cluster said of the member, except that a removed node reporting again has rejoined.</summary>
    public NodeRegistry Report(RegisterNode report, DateTimeOffset now)
    {
        var previous = Nodes.GetValueOrDefault(report.Node);
        var membership = previous?.Membership is Membership.Unreachable ? Membership.Unreachable : Membership.Up;
        var entry = new NodeEntry(report, now, membership);
        return With(entry, mayHaveGainedRoom: previous is null || Differs(previous, entry, now));
    }

    /// <summary>What the cluster's failure detector and downing decided about the member at this address.</summary>
    public NodeRegistry MemberChanged(string memberAddress, Membership membership) =>
        Nodes.Values.FirstOrDefault(n => n.Report.MemberAddress == memberAddress) is { } node
            ? With(node with { Membership = membership }, mayHaveGainedRoom: true)
            : this;

    public string? NodeAt(string memberAddress) =>
        Nodes.Values.FirstOrDefault(n => n.Report.MemberAddress == memberAddress)?.Report.Node;

    private NodeRegistry With(NodeEntry entry, bool mayHaveGainedRoom)
    {
        var at = _ordered.BinarySearch(entry, ByName);
        return new(
            Nodes.SetItem(entry.Report.Node, entry),
            at >= 0 ? _ordered.SetItem(at, entry) : _ordered.Insert(~at, entry),
            mayHaveGainedRoom ? Generation + 1 : Generation);
    }

    /// <summary>Whether placement could judge the node differently after this report.</summary>
    private bool Differs(NodeEntry before, NodeEntry after, DateTimeOffset now) =>
        StatusOf(before, now) != StatusOf(after, now)
        || before.Report.Allocatable != after.Report.Allocatable
        || before.Report.Healthy != after.Report.Healthy
        || !before.Report.Labels.SequenceEqual(after.Report.Labels);

    /// <summary>The first rule that matches wins.</summary>
    public NodeStatus StatusOf(NodeEntry node, DateTimeOffset now) =>
        node.Membership == Membership.Removed ? NodeStatus.Down
        : node.Membership is Membership.Unreachable or Membership.Left || now - node.LastSeen > ReportTimeout ? NodeStatus.Unreachable
        : node.Report.Healthy ? NodeStatus.Up
        : NodeStatus.Unhealthy;

    /// <summary>The nodes as placement sees them now; each is built only when placement looks at it.</summary>
    public ClusterSnapshot Snapshot(SchedulerState state, DateTimeOffset now)
    {
        var usage = state.Index.Usage;
        var ordered = _ordered;
        return ClusterSnapshot.Lazy(ordered.Length, i => SnapshotOf(ordered[i], usage, now), Generation);
    }

    private NodeSnapshot SnapshotOf(NodeEntry node, ImmutableDictionary<string, NodeUsage> usage, DateTimeOffset now)
    {
        var used = usage.GetValueOrDefault(node.Report.Node) ?? NodeUsage.None;
        var status = StatusOf(node, now);
        return new NodeSnapshot(
            node.Report.Node,
            node.Report.Labels,
            status == NodeStatus.Up,
            status == NodeStatus.Up ? null : status == NodeStatus.Unhealthy ? node.Report.HealthReason : status.ToString().ToLowerInvariant(),
            node.Report.Allocatable,
            used.Allocated,
            used.ShardsByJob,
            used.HostPorts);
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
                n.Report.Labels, used.ShardsByJob.Values.Sum(), HostAndPortOf(n.Report.MemberAddress));
        }).ToImmutableArray();
    }

    /// <summary>"node3.local:4053" of "akka.ssl.tcp://sched@node3.local:4053#-1234": the name the other nodes reach it by.</summary>
    public static string? HostAndPortOf(string? memberAddress)
    {
        var at = memberAddress?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (memberAddress is null || at < 0)
        {
            return null;
        }

        var end = memberAddress.IndexOf('#', at);
        return memberAddress[(at + 1)..(end < 0 ? memberAddress.Length : end)];
    }
}

public sealed record NodeEntry(RegisterNode Report, DateTimeOffset LastSeen, Membership Membership = Membership.Up);

/// <summary>A node's standing as a cluster member, as the scheduler last heard from the cluster.</summary>
public enum Membership { Up, Unreachable, Removed, Left }

/// <summary>What the active shards of all jobs take from one node (see <see cref="StateIndex"/>).</summary>
public sealed record NodeUsage(NodeCapacity Allocated, ImmutableDictionary<string, int> ShardsByJob, ImmutableDictionary<string, int>? HostPorts = null)
{
    public static readonly NodeUsage None = new(new NodeCapacity(0, 0), ImmutableDictionary<string, int>.Empty);
}
