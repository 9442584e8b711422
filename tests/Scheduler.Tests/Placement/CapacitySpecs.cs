using Sched.Contracts.Jobs;
using Sched.Scheduler.Decisions.Placement;
using static Sched.Scheduler.Tests.Placement.TestCluster;

namespace Sched.Scheduler.Tests.Placement;

/// <summary>Memory and CPU are hard limits: never overcommitted, and a shard that fits nowhere says why.</summary>
public class CapacitySpecs
{
    [Fact]
    public void Memory_must_not_be_overcommitted_and_the_reason_names_the_largest_free()
    {
        var cluster = Of(
            Node("node1", memory: 4 * Gi, usedMemory: 3 * Gi),
            Node("node2", memory: 2 * Gi, usedMemory: 1 * Gi),
            Node("node3", memory: 2 * Gi, usedMemory: 512 * Mi));

        var result = Placer.Place(cluster, Shards(1, memory: 2 * Gi));

        Assert.Empty(result.Placed);
        var unplaced = Assert.Single(result.Unplaced);
        Assert.Contains("needs 2Gi memory; largest free is 1.5Gi on node3", unplaced.Reason);
        Assert.Equal(3, unplaced.Rejections.Count(r => r.Kind == RejectionKind.Memory));
    }

    [Fact]
    public void Cpu_must_not_be_overcommitted_and_the_reason_names_the_largest_free()
    {
        var cluster = Of(
            Node("node1", milliCpus: 2000, usedMilliCpus: 1500),
            Node("node2", milliCpus: 4000, usedMilliCpus: 2500),
            Node("node3", milliCpus: 1000));

        var result = Placer.Place(cluster, Shards(1, milliCpus: 2000));

        Assert.Empty(result.Placed);
        Assert.Contains("needs 2 cpus; largest free is 1.5 on node2", Assert.Single(result.Unplaced).Reason);
    }

    [Fact]
    public void Shards_of_one_run_must_count_against_each_other_3_fit_2_wait()
    {
        var cluster = Of(Node("node1", memory: 2 * Gi), Node("node2", memory: 1 * Gi));

        var result = Placer.Place(cluster, Shards(5, memory: 1 * Gi, milliCpus: 100));

        Assert.Equal(3, result.Placed.Count);
        Assert.Equal(2, result.Unplaced.Count);
        Assert.All(result.Unplaced, u => Assert.Contains("needs 1Gi memory; largest free is 0", u.Reason));
    }

    [Fact]
    public void Every_shard_of_a_job_that_fits_nowhere_must_wait_as_itself_with_the_same_reasons()
    {
        var cluster = Of(Node("node1", memory: 1 * Gi), Node("node2", memory: 1 * Gi, healthy: false));
        var requests = Shards(4, memory: 2 * Gi).Concat(Shards(1, memory: 256 * Mi, jobId: "other")).ToList();

        var result = Placer.Place(cluster, requests);

        Assert.Equal("other", Assert.Single(result.Placed).Request.Id.JobId);
        Assert.Equal(requests.Take(4), result.Unplaced.Select(u => u.Request));
        var first = result.Unplaced[0];
        Assert.Contains("needs 2Gi memory; largest free is 1Gi on node1", first.Reason);
        Assert.All(result.Unplaced, u => Assert.Equal((first.Reason, first.Rejections), (u.Reason, u.Rejections)));
    }

    [Fact]
    public void Cpu_of_one_run_must_count_against_each_other_on_a_single_node()
    {
        var cluster = Of(Node("node1", milliCpus: 1500));

        var result = Placer.Place(cluster, Shards(4, milliCpus: 500));

        Assert.Equal(3, result.Placed.Count);
        Assert.Contains("needs 0.5 cpus; largest free is 0 on node1", Assert.Single(result.Unplaced).Reason);
    }

    [Fact]
    public void Existing_allocation_must_count_against_the_node()
    {
        var cluster = Of(Node("node1", memory: 4 * Gi, usedMemory: 3 * Gi), Node("node2", memory: 2 * Gi));

        var result = Placer.Place(cluster, Shards(3, memory: 1 * Gi, rules: Rules(PlacementStrategy.Binpack)));

        Assert.Equal([1, 2], CountsPerNode(cluster, result));
    }

    [Fact]
    public void A_shard_that_fits_exactly_must_be_placed()
    {
        var cluster = Of(Node("node1", memory: 1 * Gi, milliCpus: 500));

        var result = Placer.Place(cluster, Shards(1, memory: 1 * Gi, milliCpus: 500));

        Assert.Equal("node1", Assert.Single(result.Placed).Node);
    }

    [Fact]
    public void A_decision_must_record_what_the_node_had_free_before_it()
    {
        var cluster = Of(Node("node1", memory: 4 * Gi, milliCpus: 2000, usedMemory: 1 * Gi, usedMilliCpus: 500));

        var result = Placer.Place(cluster, Shards(2, memory: 1 * Gi, milliCpus: 500));

        Assert.Equal([3 * Gi, 2 * Gi], result.Placed.Select(p => p.FreeMemoryBefore));
        Assert.Equal([1500, 1000], result.Placed.Select(p => p.FreeMilliCpusBefore));
    }
}
