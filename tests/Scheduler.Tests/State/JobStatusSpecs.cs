using Sched.Contracts.Messages;
using Sched.Scheduler.Decisions.State;
using static Sched.Scheduler.Tests.State.TestJobs;

namespace Sched.Scheduler.Tests.State;

/// <summary>A job's status is derived from its shards; stopping a job stops what has not finished.</summary>
public class JobStatusSpecs
{
    private static SchedulerState Running(int shards) =>
        Enumerable.Range(1, shards).Aggregate(
            Submitted(Spec(shards: shards, restart: OnFailure(0))).Placed(Nodes(shards), T0),
            (state, shard) => state.Started(Attempt(shard, 1)));

    private static JobStatus StatusOf(SchedulerState state) => state.Job(JobId)!.Status;

    [Fact]
    public void A_job_must_read_pending_running_complete_as_its_shards_go()
    {
        var pending = Submitted(Spec(shards: 2));
        var running = Running(2);
        var halfDone = running.Ended(Attempt(1, 1), 0, T0);
        var complete = halfDone.Ended(Attempt(2, 1), 0, T0);

        Assert.Equal(JobStatus.Pending, StatusOf(pending));
        Assert.Equal(JobStatus.Running, StatusOf(running));
        Assert.Equal(JobStatus.Running, StatusOf(halfDone));
        Assert.Equal(JobStatus.Complete, StatusOf(complete));
    }

    [Fact]
    public void A_job_with_one_shard_done_and_one_waiting_for_room_must_read_running()
    {
        var state = Submitted(Spec(shards: 2, memory: 1 * Gi)).Placed(Nodes(1, memory: 1 * Gi), T0).Started(Attempt(1, 1));

        state = state.Ended(Attempt(1, 1), 0, T0);

        Assert.Equal(ShardStatus.Pending, state.Shard(2).Status);
        Assert.Equal(JobStatus.Running, StatusOf(state));
    }

    [Fact]
    public void A_job_must_read_failed_only_when_every_shard_is_final_and_one_failed()
    {
        var oneFailed = Running(2).Ended(Attempt(1, 1), 3, T0);
        var allDone = oneFailed.Ended(Attempt(2, 1), 0, T0);

        Assert.Equal(JobStatus.Running, StatusOf(oneFailed));
        Assert.Equal(JobStatus.Failed, StatusOf(allDone));
        Assert.Equal("shard 1 failed: exit code 3 after 1 attempt", allDone.Job(JobId)!.Reason);
    }

    [Fact]
    public void Stop_must_stop_every_unfinished_shard_and_the_job()
    {
        var state = Running(3).Ended(Attempt(1, 1), 0, T0);

        var events = SchedulerDecisions.Stop(state, JobId, T0);
        state = state.ApplyAll(events);

        Assert.IsType<JobStopped>(Assert.Single(events));
        Assert.Equal(JobStatus.Stopped, StatusOf(state));
        Assert.Equal(
            [ShardStatus.Succeeded, ShardStatus.Stopped, ShardStatus.Stopped],
            state.Job(JobId)!.Shards.Select(s => s.Status));
    }

    [Fact]
    public void Stop_must_also_stop_pending_and_retrying_shards_and_place_nothing_after()
    {
        var state = Submitted(Spec(shards: 2, restart: OnFailure(3))).Placed(Nodes(1, memory: 256 * Mi), T0);
        state = state.Started(Attempt(1, 1)).Ended(Attempt(1, 1), 1, T0);

        state = state.ApplyAll(SchedulerDecisions.Stop(state, JobId, T0));

        Assert.All(state.Job(JobId)!.Shards, s => Assert.Equal(ShardStatus.Stopped, s.Status));
        Assert.Empty(SchedulerDecisions.Place(state, Nodes(3), T0.AddHours(1)).Events);
    }

    [Fact]
    public void After_stop_late_messages_and_a_second_stop_must_decide_nothing()
    {
        var state = Running(1);
        state = state.ApplyAll(SchedulerDecisions.Stop(state, JobId, T0));

        Assert.Empty(SchedulerDecisions.Stop(state, JobId, T0));
        Assert.Empty(SchedulerDecisions.Ended(state, Attempt(1, 1), AttemptEnd.Exited(137, false), T0, 0.5));
        Assert.Empty(SchedulerDecisions.Started(state, Attempt(1, 1), "late"));
        Assert.Equal(JobStatus.Stopped, StatusOf(state));
    }
}
