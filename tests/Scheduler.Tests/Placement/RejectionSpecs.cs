using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Each node's own reason reads as a short sentence, whatever state the node is in.</summary>
public class RejectionSpecs
{
    [Fact]
    public void Every_node_reason_must_name_the_node_and_what_it_lacks()
    {
        var cluster = Of(
            Node("node1", healthy: false),
            Node("node2", memory: 1 * Gi),
            Node("node3", milliCpus: 250),
            Node("node4"));

        var rejections = Placer.Place(cluster, Shards(1, memory: 2 * Gi, rules: Rules(constraints: NodeIsNot("node4"))))
            .Unplaced.Single().Rejections.Select(r => r.ToString());

        Assert.Equal(
            [
                "node1: unhealthy (podman socket down)",
                "node2: needs 2Gi memory, 1Gi free",
                "node3: needs 0.5 cpus, 0.25 free",
                "node4: excluded by constraint node != node4",
            ],
            rejections);
    }

    [Fact]
    public void A_node_already_over_its_allocatable_must_read_as_nothing_free()
    {
        // Allocatable can shrink under running shards, e.g. when an agent restarts with a larger reservation.
        var cluster = Of(Node("node1", memory: 1 * Gi, milliCpus: 1000, usedMemory: 2 * Gi, usedMilliCpus: 1500));

        var unplaced = Placer.Place(cluster, Shards(1, memory: 256 * Mi)).Unplaced.Single();

        Assert.Equal("node1: needs 256Mi memory, 0 free", unplaced.Rejections.Single().ToString());
        Assert.Contains("largest free is 0 on node1", unplaced.Reason);
    }

    [Fact]
    public void A_node_at_its_cap_must_say_how_many_shards_it_runs()
    {
        var unplaced = Placer.Place(Equal(1), Shards(2, rules: Rules(maxShardsPerNode: 1))).Unplaced.Single();

        Assert.Equal("node1: already runs 1 shards of this job (maxShardsPerNode 1)", unplaced.Rejections.Single().ToString());
    }
}
