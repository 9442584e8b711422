using System.Collections.Immutable;
using Sched.Scheduler.Decisions.Durability;
using Sched.Scheduler.Decisions.State;
using Sched.Scheduler.Durability;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.Durability;

public sealed class RecoveryQuorumSpecs
{
    [Theory]
    [InlineData("node1", "node1", true)]
    [InlineData("node1,node2", "node1", false)]
    [InlineData("node1,node2", "node1,node2", true)]
    [InlineData("node1,node2,node3", "node1,node3", true)]
    [InlineData("node1,node2,node3", "node1,node4", false)]
    public void A_scheduler_must_recover_only_once_a_majority_of_the_scheduler_nodes_it_last_knew_is_up(string known, string up, bool recovers)
    {
        var view = new StateReplica.RecoveryView([], "/var/lib/sched/scheduler-state.db", [.. known.Split(',')], [.. up.Split(',')],
            ImmutableDictionary<string, NodeRemoval>.Empty);

        Assert.Equal(recovers, view.HasQuorum);
        Assert.Equal(known.Split(',').Except(up.Split(',')), view.Missing);
    }

    [Fact]
    public void The_nodes_with_active_shards_must_be_those_running_or_about_to_run_a_shard_of_a_job_not_stopped()
    {
        var state = Submitted(Spec(shards: 3)).Placed(Nodes(2), T0).Started(Attempt(1, 1)).Ended(Attempt(1, 1), 0, T0);
        var stoppedJob = Submitted(Spec(shards: 1), jobId: "other-00000b").Placed(Nodes(3), T0);
        var both = SchedulerState.Of([.. state.Jobs.Values, .. stoppedJob.ApplyAll(SchedulerDecisions.Stop(stoppedJob, "other-00000b", T0)).Jobs.Values]);

        var nodes = SchedulerDecisions.NodesWithActiveShards(both).Order().ToList();

        Assert.Equal([.. state.Jobs[JobId].Shards.Skip(1).Select(s => s.Node!).Distinct().Order()], nodes);
    }
}
