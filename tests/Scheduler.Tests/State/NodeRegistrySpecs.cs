using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>The registry turns node reports and active shards into the snapshot placement sees.</summary>
public class NodeRegistrySpecs
{
    [Fact]
    public void A_node_silent_for_more_than_15s_must_be_unreachable_and_get_no_shards()
    {
        var registry = Registry(1, T0).Report(Report("node2"), T0.AddSeconds(10));
        var now = T0.AddSeconds(16);
        var state = Submitted(Spec(shards: 2));

        var round = SchedulerDecisions.Place(state, registry.Snapshot(state, now), now);

        Assert.All(round.Events.OfType<ShardPlaced>(), p => Assert.Equal("node2", p.Node));
        Assert.Equal(2, round.Placed.Count);
        var views = registry.Views(state, now);
        Assert.Equal([NodeStatus.Unreachable, NodeStatus.Up], views.Select(v => v.Status));
        Assert.Equal("no report for 16s", views[0].StatusReason);
    }

    [Theory]
    [InlineData("akka.ssl.tcp://sched@node3.local:4053#-1234", "node3.local:4053")]
    [InlineData("akka.tcp://sched@10.0.0.3:4053", "10.0.0.3:4053")]
    [InlineData(null, null)]
    [InlineData("not an address", null)]
    public void A_node_view_must_show_the_name_and_port_the_others_reach_it_by(string? member, string? shown) =>
        Assert.Equal(shown, NodeRegistry.HostAndPortOf(member));

    [Fact]
    public void A_node_at_exactly_15s_must_still_be_up()
    {
        var registry = Registry(1, T0);

        Assert.Equal(NodeStatus.Up, registry.StatusOf(registry.Nodes["node1"], T0.AddSeconds(15)));
        Assert.Equal(NodeStatus.Unreachable, registry.StatusOf(registry.Nodes["node1"], T0.AddSeconds(15.001)));
    }

    [Fact]
    public void A_fresh_report_must_bring_an_unreachable_node_back()
    {
        var registry = Registry(1, T0).Report(Report("node1"), T0.AddSeconds(30));

        Assert.True(registry.Snapshot(SchedulerState.Empty, T0.AddSeconds(31)).Nodes[0].Healthy);
    }

    [Fact]
    public void An_unreachable_only_node_must_leave_shards_pending_and_the_reason_says_unhealthy()
    {
        var registry = Registry(1, T0);
        var state = Submitted(Spec(shards: 1));
        var now = T0.AddMinutes(1);

        var waiting = Assert.IsType<ShardWaiting>(Assert.Single(SchedulerDecisions.Place(state, registry.Snapshot(state, now), now).Events));

        Assert.Contains("unhealthy (node1)", waiting.Reason);
        Assert.Equal("unreachable", registry.Snapshot(state, now).Nodes[0].HealthReason);
    }

    [Fact]
    public void A_node_reporting_unhealthy_must_read_unhealthy_and_get_no_shards()
    {
        var registry = Registry(1, T0).Report(Report("node2", healthy: false), T0);
        var state = Submitted(Spec(shards: 3));

        var round = SchedulerDecisions.Place(state, registry.Snapshot(state, T0), T0);

        Assert.All(round.Placed, p => Assert.Equal("node1", p.Node));
        Assert.Equal(NodeStatus.Unhealthy, registry.Views(state, T0)[1].Status);
    }

    [Fact]
    public void A_pending_reason_must_say_why_each_group_of_nodes_is_unhealthy()
    {
        var now = T0.AddSeconds(1);
        var registry = NodeRegistry.Empty
            .Report(Report("node1", healthy: false) with { HealthReason = "rootless podman on cgroup v1 cannot enforce memory or CPU limits" }, T0)
            .Report(Report("node2", healthy: false), T0)
            .Report(Report("node3", healthy: false), T0);
        var state = Submitted(Spec(shards: 1));

        var waiting = Assert.IsType<ShardWaiting>(Assert.Single(SchedulerDecisions.Place(state, registry.Snapshot(state, now), now).Events));

        Assert.Equal("1 node unhealthy (node1): rootless podman on cgroup v1 cannot enforce memory or CPU limits; "
            + "2 nodes unhealthy (node2, node3): podman socket down", waiting.Reason);
    }

    [Fact]
    public void Active_shards_must_count_against_their_node_and_finished_ones_must_not()
    {
        var registry = Registry(2, T0, memory: 2 * Gi);
        var state = Submitted(Spec(shards: 4, memory: 1 * Gi, milliCpus: 1000));
        state = state.Placed(registry.Snapshot(state, T0), T0).Started(Attempt(1, 1));

        var full = registry.Snapshot(state, T0);
        var afterOneEnds = registry.Snapshot(state.Ended(Attempt(1, 1), 0, T0), T0);

        Assert.All(full.Nodes, n => Assert.Equal((2 * Gi, 2000, 2), (n.Allocated.MemoryBytes, n.Allocated.MilliCpus, n.ShardsOf(JobId))));
        Assert.Equal([2, 2], registry.Views(state, T0).Select(v => v.Shards));
        Assert.Equal(3, afterOneEnds.Nodes.Sum(n => n.ShardsOf(JobId)));
        Assert.Equal(3 * Gi, afterOneEnds.Nodes.Sum(n => n.Allocated.MemoryBytes));
    }

    [Fact]
    public void A_full_node_must_leave_the_next_job_pending_with_the_largest_free()
    {
        var registry = Registry(1, T0, memory: 2 * Gi);
        var state = Submitted(Spec(shards: 2, memory: 1 * Gi));
        state = state.Placed(registry.Snapshot(state, T0), T0);
        state = state.ApplyAll(SchedulerDecisions.Accept("next-00000b", Spec(shards: 1, memory: 1 * Gi), T0.AddSeconds(1)));

        var events = SchedulerDecisions.Place(state, registry.Snapshot(state, T0.AddSeconds(2)), T0.AddSeconds(2)).Events;

        var waiting = Assert.IsType<ShardWaiting>(Assert.Single(events));
        Assert.Equal("next-00000b", waiting.JobId);
        Assert.Contains("needs 1Gi memory; largest free is 0 on node1", waiting.Reason);
    }
}
