using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>A retried shard prefers a node other than the one its previous attempt failed on.</summary>
public class RetrySpecs
{
    private static ShardRequest Retry(string avoid, PlacementStrategy strategy = PlacementStrategy.Spread, long memory = 256 * Mi) =>
        new(new ShardAttemptId("job", 1, 2), new ShardResources(memory, 500), Rules(strategy), avoid);

    [Fact]
    public void A_retried_shard_must_go_to_another_node_when_one_fits()
    {
        // node1 would win on free memory alone.
        var cluster = Of(Node("node1"), Node("node2", usedMemory: 4 * Gi));

        var result = Placer.Place(cluster, [Retry("node1")]);

        Assert.Equal("node2", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_retried_shard_must_go_to_another_node_under_binpack_too()
    {
        var cluster = Of(Node("node1", usedMemory: 7 * Gi), Node("node2"));

        var result = Placer.Place(cluster, [Retry("node1", PlacementStrategy.Binpack)]);

        Assert.Equal("node2", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_retried_shard_must_go_back_to_the_same_node_when_it_is_the_only_one()
    {
        var result = Placer.Place(Of(Node("node1")), [Retry("node1")]);

        Assert.Equal("node1", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_retried_shard_must_go_back_to_the_same_node_when_no_other_fits()
    {
        var cluster = Of(Node("node1"), Node("node2", memory: 1 * Gi), Node("node3", healthy: false));

        var result = Placer.Place(cluster, [Retry("node1", memory: 2 * Gi)]);

        Assert.Equal("node1", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_retry_must_not_push_the_other_shards_off_the_avoided_node()
    {
        var cluster = Equal(2);
        var requests = Shards(2).Prepend(Retry("node1")).ToList();

        var result = Placer.Place(cluster, requests);

        Assert.Equal("node2", result.Placed[0].Node);
        Assert.Equal([1, 2], CountsPerNode(cluster, result).Order());
    }
}
