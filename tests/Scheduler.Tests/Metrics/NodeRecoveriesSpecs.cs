using Sched.Scheduler.Metrics;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Metrics;

/// <summary>When a node's recovery is over, and how long it took.</summary>
public class NodeRecoveriesSpecs
{
    private readonly NodeRecoveries _recoveries = new();

    [Fact]
    public void Recovery_lasts_until_the_last_lost_shard_runs_again()
    {
        _recoveries.Lost("node2", "a", 1, T0);
        _recoveries.Lost("node2", "a", 2, T0);

        Assert.Empty(_recoveries.Ran("a", 1, T0.AddSeconds(3)));
        Assert.Empty(_recoveries.Ran("a", 9, T0.AddSeconds(4)));
        Assert.Equal([TimeSpan.FromSeconds(7)], _recoveries.Ran("a", 2, T0.AddSeconds(7)));
        Assert.Equal(0, _recoveries.Open);
    }

    [Fact]
    public void A_shard_that_fails_for_good_ends_the_recovery_at_the_last_shard_that_ran()
    {
        _recoveries.Lost("node2", "a", 1, T0);
        _recoveries.Lost("node2", "a", 2, T0);
        _recoveries.Ran("a", 1, T0.AddSeconds(5));

        Assert.Equal([TimeSpan.FromSeconds(5)], _recoveries.GaveUp("a", 2, T0.AddSeconds(30)));
    }

    [Fact]
    public void Two_nodes_lost_recover_separately_and_a_stopped_job_recovers_nothing()
    {
        _recoveries.Lost("node2", "a", 1, T0);
        _recoveries.Lost("node3", "a", 2, T0.AddSeconds(1));
        _recoveries.Lost("node3", "b", 1, T0.AddSeconds(1));

        Assert.Equal([TimeSpan.FromSeconds(2)], _recoveries.Ran("a", 1, T0.AddSeconds(2)));
        Assert.Empty(_recoveries.Stopped("a", T0.AddSeconds(3)));
        Assert.Empty(_recoveries.Stopped("b", T0.AddSeconds(4)));
        Assert.Equal(0, _recoveries.Open);
    }

    [Fact]
    public void A_shard_lost_again_on_its_new_node_keeps_both_recoveries_open_until_it_runs()
    {
        _recoveries.Lost("node2", "a", 1, T0);
        _recoveries.Lost("node3", "a", 1, T0.AddSeconds(10));

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], _recoveries.Ran("a", 1, T0.AddSeconds(20)).Order());
    }
}
