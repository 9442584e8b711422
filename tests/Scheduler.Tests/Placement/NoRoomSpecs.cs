using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Once a shape of request has found room nowhere, later requests of that shape are not weighed again.</summary>
public class NoRoomSpecs
{
    [Fact]
    public void A_job_of_a_shape_that_found_no_room_must_wait_with_that_reason_without_asking_the_nodes()
    {
        var full = Of(Node("node1", memory: 1 * Gi, usedMemory: 1 * Gi - (100 * Mi)));
        var first = Placer.Place(full, Shards(1, memory: 256 * Mi, jobId: "first"));
        var reason = Assert.Single(first.Unplaced).Reason;

        var roomy = Equal(1); // had the nodes been asked, this one would take the shard
        var second = Placer.Place(roomy, Shards(2, memory: 256 * Mi, jobId: "second"), first.NoRoom);

        Assert.Empty(second.Placed);
        Assert.All(second.Unplaced, u => Assert.Equal(reason, u.Reason));
    }

    [Fact]
    public void A_shape_that_found_no_room_must_not_keep_out_a_smaller_shard()
    {
        var cluster = Of(Node("node1", memory: 1 * Gi, usedMemory: 1 * Gi - (200 * Mi)));
        var requests = Shards(1, memory: 256 * Mi, jobId: "big").Concat(Shards(1, memory: 128 * Mi, jobId: "small")).ToList();

        var result = Placer.Place(cluster, requests);

        Assert.Equal(new ShardAttemptId("small", 1, 1), Assert.Single(result.Placed).Request.Id);
    }

    [Fact]
    public void A_job_held_back_by_its_own_maxShardsPerNode_must_not_keep_out_a_job_of_the_same_size_without_it()
    {
        var cluster = Equal(1);
        var requests = Shards(2, rules: Rules(maxShardsPerNode: 1), jobId: "capped").Concat(Shards(1, jobId: "free")).ToList();

        var result = Placer.Place(cluster, requests);

        Assert.Equal(["capped", "free"], result.Placed.Select(p => p.Request.Id.JobId));
        Assert.Empty(result.NoRoom);
    }
}
