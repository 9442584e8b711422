using Sched.Contracts.Jobs;
using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Above <see cref="Placer.WeighEveryNodeUpTo"/> nodes a shard weighs a few feasible nodes, not all of them.</summary>
public class LargeClusterSpecs
{
    private const int Nodes = 1000;

    [Fact]
    public void Spread_on_a_large_cluster_must_still_spread_a_job_over_many_nodes_and_never_overfill_one()
    {
        var cluster = Equal(Nodes, memory: 1 * Gi, milliCpus: 1000);

        var result = Placer.Place(cluster, Shards(3000, memory: 256 * Mi, milliCpus: 250));

        Assert.Empty(result.Unplaced);
        var counts = CountsPerNode(cluster, result);
        Assert.True(counts.Count(c => c > 0) >= 900, $"shards landed on only {counts.Count(c => c > 0)} of {Nodes} nodes");
        Assert.All(counts, c => Assert.InRange(c, 0, 4));
    }

    [Fact]
    public void The_same_cluster_and_shards_must_give_the_same_placement()
    {
        var cluster = Equal(Nodes);

        var first = Placer.Place(cluster, Shards(500));
        var second = Placer.Place(cluster, Shards(500));

        Assert.Equal(first.Placed.Select(p => p.Node), second.Placed.Select(p => p.Node));
    }

    [Fact]
    public void A_shard_that_fits_on_one_node_of_a_thousand_must_find_it()
    {
        var cluster = Equal(Nodes, milliCpus: 1000);
        var only = Rules(constraints: new PlacementConstraint("node", ConstraintOperator.Equal, "node777"));

        var result = Placer.Place(cluster, Shards(1, rules: only));

        Assert.Equal("node777", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_retried_shard_on_a_large_cluster_must_not_go_back_to_its_previous_node_while_another_fits()
    {
        var cluster = Equal(Nodes);
        var first = Placer.Place(cluster, Shards(1)).Placed.Single();
        var retry = first.Request with { Id = new ShardAttemptId("job", 1, 2), AvoidNode = first.Node };

        var result = Placer.Place(cluster, [retry]);

        Assert.NotEqual(first.Node, Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void Binpack_on_a_large_cluster_must_fill_the_nodes_it_weighs_before_opening_others()
    {
        var cluster = Equal(Nodes, memory: 1 * Gi);

        var result = Placer.Place(cluster, Shards(400, memory: 256 * Mi, rules: Rules(PlacementStrategy.Binpack)));

        Assert.Empty(result.Unplaced);
        Assert.All(CountsPerNode(cluster, result).Where(c => c > 0), c => Assert.Equal(4, c));
    }
}
