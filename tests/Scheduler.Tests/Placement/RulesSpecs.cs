using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Constraints, the per-node cap and node health decide where a shard may go at all.</summary>
public class RulesSpecs
{
    [Fact]
    public void Constraint_node_not_node1_must_keep_node1_empty()
    {
        var cluster = Equal(3);

        var result = Placer.Place(cluster, Shards(6, rules: Rules(constraints: NodeIsNot("node1"))));

        Assert.Empty(result.Unplaced);
        Assert.Equal([0, 3, 3], CountsPerNode(cluster, result));
    }

    [Fact]
    public void Constraint_arch_arm64_must_use_only_arm64_labelled_nodes()
    {
        var cluster = Of(
            Node("node1", arch: "amd64"),
            Node("node2", arch: "arm64"),
            Node("node3"),
            Node("node4", arch: "arm64"));

        var result = Placer.Place(cluster, Shards(4, rules: Rules(constraints: ArchIs("arm64"))));

        Assert.Empty(result.Unplaced);
        Assert.Equal([0, 2, 0, 2], CountsPerNode(cluster, result));
    }

    [Fact]
    public void Constraints_that_exclude_every_node_must_say_so()
    {
        var cluster = Of(Node("node1", arch: "amd64"), Node("node2", arch: "amd64"));

        var result = Placer.Place(cluster, Shards(1, rules: Rules(constraints: ArchIs("arm64"))));

        var reason = Assert.Single(result.Unplaced).Reason;
        Assert.Contains("2 nodes excluded by constraints (node1, node2)", reason);
    }

    [Fact]
    public void Unhealthy_nodes_must_get_nothing_and_the_reason_says_unhealthy()
    {
        var cluster = Of(Node("node1", healthy: false), Node("node2"), Node("node3", healthy: false));

        var placed = Placer.Place(cluster, Shards(4));
        var waiting = Placer.Place(Of(Node("node1", healthy: false)), Shards(1));

        Assert.Equal([0, 4, 0], CountsPerNode(cluster, placed));
        Assert.Contains("1 node unhealthy (node1)", Assert.Single(waiting.Unplaced).Reason);
    }

    [Fact]
    public void MaxShardsPerNode_2_must_leave_the_7th_shard_of_7_pending_on_3_nodes()
    {
        var cluster = Equal(3);

        var result = Placer.Place(cluster, Shards(7, rules: Rules(maxShardsPerNode: 2)));

        Assert.Equal([2, 2, 2], CountsPerNode(cluster, result));
        Assert.Contains("3 nodes at maxShardsPerNode", Assert.Single(result.Unplaced).Reason);
    }

    [Fact]
    public void MaxShardsPerNode_must_hold_under_binpack_too()
    {
        var cluster = Equal(3);

        var result = Placer.Place(
            cluster, Shards(5, rules: Rules(PlacementStrategy.Binpack, maxShardsPerNode: 2)));

        Assert.Empty(result.Unplaced);
        Assert.All(CountsPerNode(cluster, result), count => Assert.InRange(count, 0, 2));
    }

    [Fact]
    public void MaxShardsPerNode_must_count_shards_of_the_job_already_on_the_node()
    {
        var cluster = Of(
            Node("node1", shardsByJob: ImmutableDictionary<string, int>.Empty.Add("job", 2)),
            Node("node2"));

        var result = Placer.Place(cluster, Shards(2, rules: Rules(maxShardsPerNode: 2)));

        Assert.Equal([0, 2], CountsPerNode(cluster, result));
    }

    [Fact]
    public void No_nodes_must_leave_every_shard_pending_with_no_nodes_have_joined_yet()
    {
        var result = Placer.Place(Of(), Shards(3));

        Assert.Empty(result.Placed);
        Assert.Equal(3, result.Unplaced.Count);
        Assert.All(result.Unplaced, u => Assert.Equal("no nodes have joined yet", u.Reason));
    }

    [Fact]
    public void Every_node_with_a_different_reason_must_appear_in_the_summary()
    {
        var cluster = Of(
            Node("node1", healthy: false),
            Node("node2", memory: 1 * Gi),
            Node("node3", milliCpus: 100),
            Node("node4", arch: "amd64"));

        var result = Placer.Place(cluster, Shards(1, memory: 2 * Gi, milliCpus: 1000, rules: Rules(constraints: NodeIsNot("node4"))));

        var unplaced = Assert.Single(result.Unplaced);
        Assert.Equal(4, unplaced.Rejections.Count);
        Assert.Contains("largest free is 1Gi on node2", unplaced.Reason);
        Assert.Contains("largest free is 0.1 on node3", unplaced.Reason);
        Assert.Contains("1 node excluded by constraints (node4)", unplaced.Reason);
        Assert.Contains("1 node unhealthy (node1)", unplaced.Reason);
    }
}
