using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>maxFailedShards: once more shards have failed than the job allows, the rest stop and the job fails.</summary>
public sealed class MaxFailedShardsSpecs
{
    private static SchedulerState Running(int? maxFailed)
    {
        var state = Submitted(Spec(shards: 4, restart: OnFailure(0)) with { MaxFailedShards = maxFailed }).Placed(Nodes(2), T0);
        return Enumerable.Range(1, 4).Aggregate(state, (s, shard) => s.Started(Attempt(shard, 1)));
    }

    [Fact]
    public void The_failure_that_passes_the_limit_stops_every_shard_still_running_and_the_job_fails_saying_why()
    {
        var state = Running(maxFailed: 1).Ended(Attempt(1, 1), 3, T0).Ended(Attempt(2, 1), 3, T0);

        Assert.Equal(JobStatus.Failed, state.Job(JobId)!.Status);
        Assert.Equal([ShardStatus.Failed, ShardStatus.Failed, ShardStatus.Stopped, ShardStatus.Stopped], state.Job(JobId)!.Shards.Select(s => s.Status));
        Assert.Equal("stopped: 2 shards failed, more than maxFailedShards 1", state.Shard(3).Reason);
        Assert.Null(state.Shard(3).Node);
    }

    [Fact]
    public void Failures_up_to_the_limit_leave_the_others_running()
    {
        var state = Running(maxFailed: 1).Ended(Attempt(1, 1), 3, T0);

        Assert.Equal(JobStatus.Running, state.Job(JobId)!.Status);
        Assert.Equal(3, state.Job(JobId)!.Shards.Count(s => s.Status == ShardStatus.Running));
    }

    [Fact]
    public void Without_a_limit_every_shard_runs_to_its_own_end()
    {
        var state = Running(maxFailed: null).Ended(Attempt(1, 1), 3, T0).Ended(Attempt(2, 1), 3, T0).Ended(Attempt(3, 1), 3, T0);

        Assert.Equal(ShardStatus.Running, state.Shard(4).Status);
    }
}
