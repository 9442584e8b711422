using System.Collections.Immutable;
using Sched.Contracts.Jobs;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Spread puts a job's shards evenly over the nodes; binpack fills the fullest node that still fits.</summary>
public class StrategySpecs
{
    [Fact]
    public void Spread_must_place_7_shards_on_7_equal_nodes_1_1_1_1_1_1_1()
    {
        var cluster = Equal(7);

        var result = Placer.Place(cluster, Shards(7));

        Assert.Empty(result.Unplaced);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1], CountsPerNode(cluster, result));
    }

    [Fact]
    public void Spread_must_place_7_shards_on_3_equal_nodes_3_2_2()
    {
        var cluster = Equal(3);

        var result = Placer.Place(cluster, Shards(7));

        Assert.Empty(result.Unplaced);
        Assert.Equal([2, 2, 3], CountsPerNode(cluster, result).Order());
    }

    [Fact]
    public void Spread_must_prefer_nodes_without_shards_of_the_job_over_emptier_nodes()
    {
        var cluster = Of(
            Node("node1", usedMemory: 6 * Gi, shardsByJob: ImmutableDictionary<string, int>.Empty.Add("other", 4)),
            Node("node2", shardsByJob: ImmutableDictionary<string, int>.Empty.Add("job", 1)));

        var result = Placer.Place(cluster, Shards(1));

        Assert.Equal("node1", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void Spread_must_break_a_tie_in_shards_by_the_most_free_memory()
    {
        var cluster = Of(Node("node1", usedMemory: 2 * Gi), Node("node2"), Node("node3", usedMemory: 1 * Gi));

        var result = Placer.Place(cluster, Shards(1));

        Assert.Equal("node2", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void Binpack_must_put_all_shards_on_the_one_node_with_least_free_that_fits()
    {
        var cluster = Of(
            Node("node1", usedMemory: 4 * Gi),
            Node("node2"),
            Node("node3", usedMemory: 2 * Gi),
            Node("node4", usedMemory: 7900 * Mi));

        var result = Placer.Place(cluster, Shards(4, memory: 512 * Mi, rules: Rules(PlacementStrategy.Binpack)));

        Assert.Empty(result.Unplaced);
        Assert.All(result.Placed, p => Assert.Equal("node1", p.Node));
    }

    [Fact]
    public void Binpack_must_move_to_the_next_fullest_node_when_the_first_is_full()
    {
        var cluster = Of(Node("node1", memory: 1 * Gi), Node("node2", memory: 2 * Gi), Node("node3", memory: 16 * Gi));

        var result = Placer.Place(cluster, Shards(5, memory: 512 * Mi, rules: Rules(PlacementStrategy.Binpack)));

        Assert.Empty(result.Unplaced);
        Assert.Equal([2, 3, 0], CountsPerNode(cluster, result));
    }

    [Fact]
    public void Placement_must_be_deterministic_for_the_same_input()
    {
        var cluster = Of(
            Node("node3", usedMemory: 1 * Gi, arch: "arm64"),
            Node("node1", arch: "amd64"),
            Node("node2", usedMemory: 3 * Gi, usedMilliCpus: 1000, arch: "arm64"));
        var requests = Shards(9, memory: 700 * Mi, milliCpus: 300, rules: Rules(maxShardsPerNode: 3));

        var first = Placer.Place(cluster, requests);
        var second = Placer.Place(cluster, requests);

        Assert.Equal(first.Placed, second.Placed);
        Assert.Equal(first.Unplaced.Select(u => u.Reason), second.Unplaced.Select(u => u.Reason));
    }

    [Fact]
    public void Placement_must_not_depend_on_the_order_nodes_are_listed_in()
    {
        var nodes = new[] { Node("node2"), Node("node1"), Node("node3", usedMemory: 1 * Gi) };

        var forward = Placer.Place(ClusterSnapshot.Of(nodes), Shards(5));
        var backward = Placer.Place(ClusterSnapshot.Of(nodes.Reverse()), Shards(5));

        Assert.Equal(forward.Placed.Select(p => p.Node), backward.Placed.Select(p => p.Node));
    }
}
