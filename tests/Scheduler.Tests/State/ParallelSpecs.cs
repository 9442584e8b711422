using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>parallel: at most N of a job's shards are placed or run at once, and `sched scale` changes N while it runs.</summary>
public sealed class ParallelSpecs
{
    private static int Active(SchedulerState state) => state.Job(JobId)!.Shards.Count(s => s.IsActive);

    [Fact]
    public void Only_parallel_shards_are_placed_though_the_nodes_have_room_for_all()
    {
        var state = Submitted(Spec(shards: 6) with { Parallel = 2 }).Placed(Nodes(3), T0);

        Assert.Equal(2, Active(state));
        Assert.Equal(4, state.Job(JobId)!.Shards.Count(s => s.Status == ShardStatus.Pending));
        Assert.Equal("waits its turn: at most 2 of the job's shards run at once (parallel)", state.Shard(3).Reason);
    }

    [Fact]
    public void A_shard_that_ends_makes_room_for_the_next_one_and_never_for_more()
    {
        var state = Submitted(Spec(shards: 6) with { Parallel = 2 }).Placed(Nodes(3), T0).Started(Attempt(1, 1)).Started(Attempt(2, 1));

        state = state.Ended(Attempt(1, 1), 0, T0.AddSeconds(5)).Placed(Nodes(3), T0.AddSeconds(5));

        Assert.Equal(2, Active(state));
        Assert.Equal(ShardStatus.Placed, state.Shard(3).Status);
        Assert.Equal(ShardStatus.Pending, state.Shard(4).Status);
    }

    [Fact]
    public void Scaling_up_places_more_at_the_next_round_and_scaling_down_stops_nothing_that_runs()
    {
        var state = Submitted(Spec(shards: 6) with { Parallel = 2 }).Placed(Nodes(3), T0);

        var wider = state.ApplyAll(SchedulerDecisions.Scale(state, JobId, 4)).Placed(Nodes(3), T0);
        var narrower = wider.ApplyAll(SchedulerDecisions.Scale(wider, JobId, 1)).Placed(Nodes(3), T0);
        var unlimited = narrower.ApplyAll(SchedulerDecisions.Scale(narrower, JobId, null)).Placed(Nodes(3), T0);

        Assert.Equal((4, 4, 6), (Active(wider), Active(narrower), Active(unlimited)));
        Assert.Empty(SchedulerDecisions.Scale(unlimited, JobId, null));
        Assert.Empty(SchedulerDecisions.Scale(unlimited, "no-such-job", 2));
    }
}
