using System.Collections.Immutable;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;

namespace Sched.Scheduler.Tests.State;

/// <summary>Watchers are told once when a node joins or changes state, and nothing while it stays as it was.</summary>
public sealed class NodeEventSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly NodeCapacity Capacity = new(4000, 4L << 30);

    private static NodeView Node(string name, NodeStatus status, string? reason = null) =>
        new(name, status, reason, Capacity, Capacity, new NodeCapacity(0, 0), ImmutableSortedDictionary<string, string>.Empty, 0);

    [Fact]
    public void A_join_and_each_change_of_state_are_told_once_and_an_unreachable_nodes_growing_silence_is_not()
    {
        var (joined, known) = NodeEvents.Changes(ImmutableDictionary<string, string>.Empty, [Node("node1", NodeStatus.Up), Node("node2", NodeStatus.Up)], T0);
        var (same, _) = NodeEvents.Changes(known, [Node("node1", NodeStatus.Up), Node("node2", NodeStatus.Up)], T0.AddSeconds(5));
        var (lost, afterLoss) = NodeEvents.Changes(known, [Node("node1", NodeStatus.Up), Node("node2", NodeStatus.Unreachable, "no report for 6s")], T0.AddSeconds(10));
        var (silent, _) = NodeEvents.Changes(afterLoss, [Node("node1", NodeStatus.Up), Node("node2", NodeStatus.Unreachable, "no report for 11s")], T0.AddSeconds(15));
        var (sick, _) = NodeEvents.Changes(afterLoss, [Node("node1", NodeStatus.Unhealthy, "podman socket /run/podman/podman.sock does not answer"), Node("node2", NodeStatus.Unreachable, "x")], T0.AddSeconds(20));

        Assert.Equal(["node node1 is up", "node node2 is up"], joined.Select(e => e.Message));
        Assert.Empty(same);
        var down = Assert.Single(lost);
        Assert.Equal(("", NodeEvents.Kind, "node2", "node node2 is unreachable"), (down.JobId, down.Kind, down.Node, down.Message));
        Assert.Empty(silent);
        Assert.Equal(["node node1 is unhealthy: podman socket /run/podman/podman.sock does not answer"], sick.Select(e => e.Message));
    }
}
