using Sched.Scheduler.Durability;

namespace Sched.Scheduler.Tests.Durability;

public sealed class ReplicatedJobsSpecs
{
    [Fact]
    public void A_job_id_lands_in_the_same_map_in_every_process_and_every_version()
    {
        // Pinned (FNV-1a of the UTF-16 code units, 3636110853 % 64): nodes of two versions must agree on where a job is.
        Assert.Equal("sched-jobs-05", ReplicatedJobs.KeyOf("my-processor-3f9c2a").Id);
        Assert.Equal(ReplicatedJobs.KeyOf("sched-test-busybox-08bf75"), ReplicatedJobs.KeyOf(string.Concat("sched-test-", "busybox-08bf75")));
    }

    [Fact]
    public void A_thousand_jobs_spread_over_every_map_with_none_holding_more_than_twice_its_share()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"my-processor-{i * 7919 % 0xFFFFFF:x6}");

        var perMap = ids.GroupBy(ReplicatedJobs.KeyOf).ToDictionary(g => g.Key.Id, g => g.Count());

        Assert.Equal(ReplicatedJobs.Buckets, perMap.Count);
        Assert.InRange(perMap.Values.Max(), 1, 2 * 1000 / ReplicatedJobs.Buckets);
    }

    [Fact]
    public void Grouping_by_map_keeps_every_item_once()
    {
        var ids = Enumerable.Range(0, 200).Select(i => $"job-{i}").ToList();

        var grouped = ReplicatedJobs.ByKey(ids, id => id).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), grouped.SelectMany(g => g.Items).Order(StringComparer.Ordinal));
        Assert.All(grouped, g => Assert.All(g.Items, id => Assert.Equal(g.Key, ReplicatedJobs.KeyOf(id))));
    }
}
